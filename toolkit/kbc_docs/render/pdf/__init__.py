"""The PDF renderer: Jinja2 HTML, WeasyPrint (only through :mod:`.weasy`), then PDF/A archiving."""
