"""The template linter's findings (``kbc-docs templates check`` and the check before a build).

Each finding names a tag as written (between backticks) and the change that fixes it in Word;
literal braces of the tags are doubled (``{{%p if x %}}``) since messages are format strings.
"""

from kbc_docs.messages.catalogue import N_

MESSAGES: dict[str, str] = {
    "lint_error": N_("error"),
    "lint_warning": N_("warning"),
    "lint_cell": N_("table {table}, row {row}, cell {cell}"),
    "lint_paragraph": N_("paragraph {number}"),
    "lint_line": N_("line {number}"),
    "lint_none": N_("no problems found"),
    "lint_counts": N_("{errors} error(s), {warnings} warning(s)"),
    "lint_no_template": N_("no such template"),
    "lint_not_template": N_("not a template (expected .docx or .html)"),
}

MESSAGES |= {
    # --- where: the parts of a template, and the list words ------------------------------------
    "lint_part_body": N_("body"),
    "lint_part_header": N_("header{number}"),
    "lint_part_footer": N_("footer{number}"),
    "lint_part_footnotes": N_("footnotes"),
    "lint_part_properties": N_("properties"),
    "lint_part_template": N_("template"),
    "lint_property": N_("document property “{name}”"),
    "lint_did_you_mean": N_("; did you mean {names}?"),
    "lint_names_are": N_("; the names a template can use are: {names}"),
    "lint_has": N_("; {type} has: {names}"),
    "lint_type_object": N_("a {name}"),
    "lint_type_list": N_("a list"),
    "lint_type_table": N_("a table"),
    "lint_type_text": N_("text"),
    "lint_type_value": N_("a value"),
    "lint_type_loop": N_("loop"),
    # --- tags as written (scanner.py, blocks.py) --------------------------------------------------
    "lint_not_closed": N_("`{tag}` is not closed: it needs `{closer}` at its end"),
    "lint_stray_closer": N_("`{closer}` without its opening `{opener}` (in `…{snippet}`)"),
    "lint_curly_quotes": N_(
        "curly quotes {quotes} in `{tag}`: docxtpl straightens them, but type straight quotes "
        "(\" ') and turn Word's smart quotes off (docs/templates.md, rule 4)"
    ),
    "lint_quotes": N_("quotes {quotes} in `{tag}` must be straight quotes (\" or ')"),
    "lint_middle_without": N_("`{tag}` without {owners}"),
    "lint_middle_inside": N_("`{tag}` without {owners}; the `{open}` at {place} is still open"),
    "lint_closes_unopened": N_("`{tag}` closes a `{{% {name} %}}` that is not open"),
    "lint_never_closed": N_("`{tag}` is never closed: add `{fix}`"),
    "lint_never_closed_before": N_(
        "`{tag}` is never closed: add `{fix}` before the `{before}` at {place}"
    ),
    "lint_never_closed_lost": N_(
        "`{tag}` is never closed: its `{end}` at {place} is thrown away by docxtpl "
        "(see the message there)"
    ),
    "lint_prefix_in_html": N_(
        "`{tag}`: `{{%{prefix}` is a Word-template prefix; write it right after `{{%` and follow "
        "it by a space and the tag (`{{%{prefix} if x %}}`); HTML templates use plain "
        "`{{% if x %}}`"
    ),
    "lint_no_tag_name": N_("`{tag}` does not start with a tag name such as if, for, endif"),
    "lint_unknown_tag": N_("`{tag}`: unknown tag `{name}`{hint}"),
    "lint_tag_syntax": N_("`{tag}`: Jinja cannot read it: {reason}"),
    "lint_syntax": N_("template syntax: {reason}"),
    # --- names and types (types.py) ---------------------------------------------------------------
    "lint_loop_outside": N_("`loop` exists only inside a `{{% for %}}` block"),
    "lint_unknown_variable": N_("unknown variable `{name}`{hint}"),
    "lint_unknown_test": N_("unknown test `{name}`{hint}"),
    "lint_unknown_filter": N_("unknown filter `{name}`{hint}"),
    "lint_private_name": N_("`{expr}`: names starting with _ cannot be used"),
    "lint_loop_has_no": N_("`{expr}`: loop has no `{name}`{hint}"),
    "lint_no_field": N_("`{expr}`: {type} has no field `{name}`{hint}"),
    "lint_no_attribute": N_("`{expr}`: {type} has no attribute `{name}`"),
    # --- Word: the package and its parts (word.py, package.py) ------------------------------------
    "lint_unreadable": N_("cannot read the template: {reason}"),
    "lint_bad_xml": N_("{part} is not well-formed XML: {reason}"),
    "lint_in_part": N_("{message} ({part})"),
    "lint_docxtpl_cannot": N_("docxtpl cannot prepare this part: {reason}"),
    "lint_docxtpl_corrupt": N_(
        "docxtpl would turn this part into a corrupt document near the text shown ({reason}); "
        "check the tags around it"
    ),
    # --- Word: where docxtpl's tags work (docx_tags.py) -------------------------------------------
    "lint_tracked_deletion": N_(
        "a tracked deletion still holds template code (`{code}`), which docxtpl runs anyway: "
        "accept or reject all changes (Review › Accept › Accept All Changes)"
    ),
    "lint_space_before_prefix": N_("no space may stand between `{opener}` and `{prefix}`"),
    "lint_nbsp_after_prefix": N_(
        "after `{prefix}` comes a non-breaking space (Word's Ctrl+Shift+Space) where docxtpl "
        "needs an ordinary one"
    ),
    "lint_prefix_write": N_("`{tag}`: {problems}; write `{opener}{prefix} …`"),
    "lint_runs_on": N_(
        "`{tag}` runs on into the next paragraph: docxtpl would join the paragraphs; keep the "
        "tag on one line"
    ),
    "lint_partly_inside": N_(
        "`{tag}` is only partly inside {wrapper}; otherwise docxtpl cannot join the pieces of "
        "the tag and the document comes out corrupt"
    ),
    "lint_wrap_change": N_(
        "a tracked change (w:{element}): accept or reject all changes (Review › Accept › Accept "
        "All Changes) or retype the tag"
    ),
    "lint_wrap_move": N_("a tracked move (w:{element}): accept or reject all changes"),
    "lint_wrap_hyperlink": N_(
        "a hyperlink (w:hyperlink): remove the link or retype the tag outside it"
    ),
    "lint_wrap_smart_tag": N_("a smart tag (w:smartTag): retype the tag"),
    "lint_wrap_control": N_("a content control (w:sdt): retype the tag outside the control"),
    "lint_wrap_field": N_("a field (w:fldSimple): retype the tag outside the field"),
    "lint_wrap_custom": N_("a custom XML element (w:customXml): retype the tag"),
    "lint_wrap_other": N_("a w:{element} element: retype the tag"),
    "lint_row_outside_table": N_(
        "`{tag}`: `{{%tr …%}}` repeats or hides a table row, but this paragraph is not in a "
        "table; use `{{%p …%}}` here"
    ),
    "lint_cell_outside_table": N_(
        "`{tag}`: `{{%tc …%}}` repeats or hides a table cell, but this paragraph is not in a "
        "table; use `{{%p …%}}` here"
    ),
    "lint_object_tag": N_(
        "`{tag}`: `{{{{{prefix} …}}}}` expects a Word object (RichText or Subdoc); kbc-docs "
        "gives plain text, which would vanish. Write `{{{{ … }}}}`"
    ),
    "lint_percent_in_prefixed": N_(
        "`{tag}`: docxtpl cannot handle `%` or `}}` inside a `{{%{prefix} …%}}` tag"
    ),
    "lint_cell_only": N_("`{tag}` works only inside a table cell"),
    # --- Word: what docxtpl drops (dropped.py) ----------------------------------------------------
    "lint_container_p": N_("paragraph"),
    "lint_container_tc": N_("table cell"),
    "lint_container_tr": N_("table row"),
    "lint_container_r": N_("run"),
    "lint_several_prefixed": N_(
        "{count} `{{%{prefix} %}}` tags in one {container}: docxtpl keeps only the last "
        "(`{kept}`) and drops the rest (`{dropped}`); give each tag a {container} of its own"
    ),
    "lint_press_enter": N_(" (press Enter between them)"),
    "lint_pictures": N_("{count} picture(s)"),
    "lint_lost_section_break": N_("a section break (new page, page numbers)"),
    "lint_lost_page_break": N_("a page break"),
    "lint_lost_break_before": N_("“page break before”"),
    "lint_dropped": N_(
        "docxtpl replaces the whole {container} holding `{tag}` by the tag, so {lost} in it "
        "would be lost: put the tag in a {container} of its own"
    ),
    "lint_dropped_break": N_(
        "; for a section break between language versions use an empty paragraph in the style "
        "“{style}”, from which kbc-docs makes the break"
    ),
    # --- Word: blocks across paragraphs, cells, rows (docx_tags.py) -------------------------------
    "lint_prefixes_differ": N_(
        "`{tag}` belongs to `{opener}` at {place}, but their prefixes differ: every tag of a "
        "block needs the same (`{{%{prefix} …%}}`), or docxtpl loses rows or paragraphs"
    ),
    "lint_apart_p": N_(
        "`{tag}` and `{other}` at {place} are not in the same table cell (or one is in a table "
        "and one outside): the document would come out corrupt"
    ),
    "lint_apart_tc": N_(
        "`{tag}` and `{other}` at {place} are in different table rows: the document would come "
        "out corrupt"
    ),
    "lint_apart_tr": N_(
        "`{tag}` and `{other}` at {place} are in different tables: the document would come out "
        "corrupt"
    ),
    "lint_apart_r": N_(
        "`{tag}` and `{other}` at {place} are in different paragraphs: the document would come "
        "out corrupt"
    ),
    "lint_inline_merge": N_(
        "`{tag}` and `{other}` at {place} are in different paragraphs: docxtpl would merge the "
        "paragraphs between them; for blocks of whole paragraphs use `{{%p …%}}` tags, each in a "
        "paragraph of its own"
    ),
    "lint_inline_table": N_(
        "`{tag}` and `{other}` at {place} are in different paragraphs, one inside a table and "
        "one outside: the document would come out corrupt; for blocks of whole paragraphs use "
        "`{{%p …%}}` tags, each in a paragraph of its own"
    ),
    # --- Word: sections and formatting (hazards.py) -----------------------------------------------
    "lint_break_beside_p": N_(
        "a section break set in Word sits in an empty paragraph next to a `{{%p …%}}` tag: "
        "LibreOffice moves it onto the tag's paragraph when it saves the file, and the build "
        "removes that paragraph with its break. Delete the break and put an empty paragraph in "
        "the style “{style}” there: kbc-docs then makes the break itself"
    ),
    "lint_mark_in_table": N_(
        "a “{style}” paragraph in a table does nothing: a section cannot end inside a table; "
        "move it below the table"
    ),
    "lint_versions_run_on": N_(
        "the language versions are repeated here, but nothing ends a section between them, so "
        "they run on without a new page and their page numbers do not restart: put an empty "
        "paragraph in the style “{style}” between `{{%p if not loop.last %}}` and "
        "`{{%p endif %}}` before `{{%p endfor %}}`"
    ),
    "lint_format_inside_tag": N_(
        "`{tag}` changes formatting inside its name ({pieces}): the value is printed as the "
        "first letter `{first}` is formatted; format the whole tag alike"
    ),
}
