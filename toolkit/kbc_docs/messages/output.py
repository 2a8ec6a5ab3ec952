"""The messages about rendering and writing the outputs: fonts, the PDF, drift, folders, locks.

They say what to install, rename or wait for; nothing written is the default outcome.
"""

from kbc_docs.messages.catalogue import N_

MESSAGES: dict[str, str] = {
    "drift_scope_version": N_("the '{lang}' version"),
    "drift_scope_document": N_("the document"),
    "drift_in_paragraph": N_("in “{text}”"),
    "drift_docx_paragraph": N_("paragraph {number} of the built Word file"),
    "drift_docx_template_at": N_("the Word template has it at body, {where}"),
    "drift_html_template_at": N_("the HTML template has it at {where}"),
    "drift_only_docx": N_("{scope}: only the Word file has “{text}”"),
    "drift_only_pdf": N_("{scope}: only the PDF has “{text}”"),
    "drift": N_(
        "the Word file and the PDF differ: {what}. Fixed wording belongs in the locale files "
        "(locale/<language>.yaml), which both the Word and the HTML template read: move it "
        "there, or make both templates say the same (docs/templates.md, “What lives where”)"
    ),
    "drift_allow_hint": N_("; to build anyway, --allow-template-drift"),
    "no_output_name": N_(
        "the file name '{name}' gives no usable output folder name; rename the content file "
        "with letters or digits, e.g. 2023-11-16.yaml"
    ),
    "same_output_folder": N_(
        "{first} and {second} would both write into the output folder '{name}'; rename one of "
        "them, or build them in separate calls with different --out"
    ),
    "cannot_write": N_("cannot write here: {reason}"),
    "hint_disk_full": N_("; free some space (earlier outputs are untouched)"),
    "hint_read_only": N_("; choose a folder you may write to"),
    "hint_name_too_long": N_("; choose a shorter --out path or a shorter file name"),
    "hint_not_a_folder": N_("; a file is in the way where a folder must be"),
    "output_is_a_file": N_(
        "a file or link is where the output folder goes, and kbc-docs does not delete what it "
        "did not make; move it away or choose another --out"
    ),
    "output_name_taken": N_(
        "a folder or link has the name of an output file, and kbc-docs does not delete what it "
        "did not make; rename or move it"
    ),
    "lock_process": N_("process {pid}"),
    "lock_someone": N_("another process"),
    "lock_waiting": N_("{lock} is held by {who} (another build?); waiting up to {seconds} s"),
    "lock_busy": N_(
        "still held by {who} after {seconds} s; wait until it finishes, or stop it if it "
        "hangs, then build again (nothing was written)"
    ),
    "font_missing": N_(
        "font {family!r} (language {lang!r}) is not installed; install it with: apt-get install "
        "{install}"
    ),
    "font_package_unknown": N_("the package that provides it"),
    "font_cannot_check": N_(
        "fontconfig is not installed, so fonts cannot be checked; install it with: "
        "apt-get install fontconfig"
    ),
    "font_no_stack": N_("no font stack is declared for language {lang!r}"),
    "font_not_installed": N_("font {family!r} is not installed (fontconfig offers {families!r})"),
    "font_not_truetype": N_("font {family!r} ({file}) is not a TrueType file Word can embed"),
    "font_no_bold": N_("font {family!r} has no bold face"),
    "font_unresolved": N_("fontconfig cannot resolve font {family!r}"),
    "docx_bad_xml": N_("{template}: rendering produced invalid XML: {reason}"),
    "pdf_failed": N_("{where}template {template!r} failed: {reason}"),
    "pdf_refused": N_("refused to load {url!r}: only files in {root} may be used"),
    "pdf_outside": N_("refused to load {url!r}: it is outside {root}"),
    "pdf_no_file": N_("cannot load {url!r}: no such file in {root}"),
    "pdf_resource": N_("WeasyPrint could not load a resource: {reason}"),
    "pdf_empty": N_("WeasyPrint produced no PDF"),
    "pdf_line_text": N_("cannot give this line its text in the PDF: {line}"),
    "weasyprint_version": N_(
        "kbc-docs reads WeasyPrint's internals and is tested with WeasyPrint {pin}, not "
        "{version}; install a tested version: pip install 'weasyprint{pin}'"
    ),
    "weasyprint_internals": N_(
        "WeasyPrint {version} lacks {names}, which kbc-docs uses ({module}); "
        "install weasyprint{pin}"
    ),
    "weasyprint_changed": N_(
        "WeasyPrint {version} changed an internal kbc-docs reads ({what}, in {module}): "
        "{reason}; install weasyprint{pin}"
    ),
    # --- embedding fonts in the Word file (render/docx/fonts.py) --------------------------------
    "font_no_font_table": N_(
        "the Word template has no font table or settings (word/fontTable.xml, "
        "word/settings.xml) to embed fonts in; save it again in Word as .docx, or build with "
        "--no-embed-fonts"
    ),
    "font_not_a_font": N_("{path}: not a font file ({reason}); reinstall the font"),
    "font_no_outlines": N_(
        "{path}: not a TrueType font, and Word can embed only TrueType outlines; choose a "
        "TrueType font for this language in its language file, or build with --no-embed-fonts"
    ),
    "font_licence": N_(
        "{path}: the font's licence does not allow embedding it (fsType {fs_type}); choose "
        "another font for this language in its language file, or build with --no-embed-fonts"
    ),
    # --- the rendered Word file and HTML (render/docx/render.py, render/pdf/html.py) ----------
    "docx_body_xml": N_(
        "{template}: filling the template produced invalid XML in the body ({reason}); "
        "check it with: kbc-docs templates check {template}"
    ),
    "docx_part_xml": N_(
        "{template}: {part} is not well-formed XML ({reason}); save the template again in Word "
        "as .docx"
    ),
    "docx_leftover_tag": N_(
        "{template}: a template tag {marker!r} is left unfilled in {part}, near {near!r}; "
        "check the template with: kbc-docs templates check {template}"
    ),
    "reserved_characters": N_(
        "a text holds U+FDD0 or U+FDD1, which are not characters and which kbc-docs reserves "
        "(pasted from another program?): {text!r}; delete them"
    ),
    "font_family_name": N_(
        "the font family {family!r} of language {lang!r} is not a plain font name; write just "
        "the name in the language file, such as Noto Serif Khmer"
    ),
    "language_code": N_(
        "{lang!r} is not a plain language code; expected 2–3 lower-case letters, such as vi or km"
    ),
    "html_leftover_tag": N_(
        "a template tag {marker!r} is left unfilled in the HTML near {near!r}; check the "
        "template with: kbc-docs templates check"
    ),
    # --- the Khmer lunar date and the parallel layout (text/khmer_calendar.py, view.py) -------
    "khmer_calendar_range": N_(
        "{date}: the Khmer lunar date is computed for the years {first}–{last} only; check the date"
    ),
    "khmer_no_month": N_("there is no month {month} in the Khmer lunar year {year} (BE)"),
    "parallel_body_lengths": N_(
        "the parallel layout sets the language versions side by side, paragraph by paragraph, "
        "but they have different numbers of paragraphs ({lengths}); use layout: sequential"
    ),
    "parallel_roles": N_(
        "the parallel layout sets paragraph {number} side by side, but its role differs between "
        "the languages ({roles}); use layout: sequential"
    ),
    "parallel_no_signer": N_(
        "the parallel layout signs once for every party, but the '{lang}' version has no "
        "signer for {party}; give that party a signer, or use layout: sequential"
    ),
    # --- what the operating system refused, by errno (messages.os_reason) -----------------------
    "os_ENOENT": N_("no such file or folder"),
    "os_EACCES": N_("permission denied"),
    "os_ENOSPC": N_("no space left on the disk"),
    "os_EDQUOT": N_("the disk quota is used up"),
    "os_EROFS": N_("the disk is read-only"),
    "os_ENAMETOOLONG": N_("the name is too long"),
    "os_EISDIR": N_("it is a folder"),
    "os_ENOTDIR": N_("a part of the path is not a folder"),
    "os_EEXIST": N_("it already exists"),
    "os_ELOOP": N_("too many links, or links in a loop"),
    "os_EIO": N_("input/output error (a damaged disk or a lost network connection?)"),
    "os_EBUSY": N_("in use by another program"),
}
