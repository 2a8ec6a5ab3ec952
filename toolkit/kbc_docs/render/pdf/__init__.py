"""The PDF renderer: Jinja2 HTML, WeasyPrint, then PDF/A archiving."""
