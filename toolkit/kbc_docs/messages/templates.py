"""The messages about templates: finding them, copying them, what they may compute.

Word templates are edited by clerks, so each message names the template and the fix.
"""

from kbc_docs.messages.catalogue import N_

MESSAGES: dict[str, str] = {
    "template_too_slow": N_("the template took more than {seconds} s to fill; simplify its loops"),
    "template_range": N_("the template asks for range() of {count} numbers, more than {limit}"),
    "template_steps": N_("the template's loops run more than {limit} times in all; simplify them"),
    "template_output": N_(
        "the template produces more than {limit} characters; a document is far smaller"
    ),
    "template_size": N_("the template builds a text or list longer than {limit}"),
    "template_number": N_("the template computes a number of more than {limit} digits"),
    "template_width": N_("the template asks for a width or count above {limit}"),
    "templates_missing": N_(
        "no such folder; --templates must name a folder of templates (kbc-docs templates eject "
        "makes one)"
    ),
    "templates_not_folder": N_(
        "not a folder; --templates must name a folder of templates, not a file"
    ),
    "templates_bad_link": N_(
        "a link that leads nowhere (or in a loop); --templates must name a folder of templates"
    ),
    "template_name": N_("{name!r} is not a template name inside the template folder"),
    "template_missing": N_("template {name!r} not found in {folders}"),
    "template_none_to_copy": N_("{folder}: no templates to copy"),
    "template_exists": N_("already exists; remove it or choose another folder"),
    "templates_no_folder": N_("no such folder: {folder}"),
    "docx_no_template": N_("{template}: no such template"),
    "docx_not_word": N_("{template}: not a Word document ({reason})"),
    "docx_too_much": N_("{template}: the template asks for too much: {reason}"),
    "pdf_template_missing": N_("template {template!r} not found in {where}"),
    "pdf_too_much": N_("template {template!r} asks for too much: {reason}"),
    # --- what a Word template may hold (templates/package.py) ------------------------------------
    "package_not_word": N_("{path}: not a Word document ({reason})"),
    "package_hint": N_(
        "a Word template holds text and a few small pictures; remove the large part or save its "
        "pictures smaller (Picture Format › Compress Pictures)"
    ),
    "package_parts": N_("holds {count} parts (at most {limit}); {hint}"),
    "package_part_size": N_("{part} unpacks to {size} (at most {limit} a part); {hint}"),
    "package_ratio": N_(
        "{part} unpacks {ratio} times larger than it is stored (at most {limit}), as a zip bomb "
        "does; {hint}"
    ),
    "package_size": N_("unpacks to {size} (at most {limit}); {hint}"),
    "external_hyperlink": N_(
        "a hyperlink to `{target}` outside the document: remove the link (right-click › Remove "
        "Hyperlink) or make it point inside the document"
    ),
    "external_attached_template": N_(
        "an attached template to `{target}` outside the document: Word may fetch that template "
        "when the document is opened; attach Normal instead (Developer › Document Template) or "
        "copy the content into a new document"
    ),
    "external_linked_picture": N_(
        "a linked picture to `{target}` outside the document: Word fetches the picture from "
        "there when the document is opened; insert the picture itself (Insert › Pictures, "
        "without “Link to File”)"
    ),
    "external_field": N_(
        "a field `{target}` that reads from outside the document: Word fetches from there when "
        "the field is updated; delete the field (Alt+F9 shows field codes)"
    ),
    "external_mail_merge_data_source": N_(
        "a mail-merge data source to `{target}` outside the document: Word reads it when the "
        "document is opened; turn mail merge off (Mailings › Start Mail Merge › Normal Word "
        "Document)"
    ),
    "external_linked_object": N_(
        "a linked object to `{target}` outside the document: Word fetches it when the document "
        "is opened; insert the object itself or a picture of it"
    ),
    "external_external_link": N_(
        "an external link to `{target}` outside the document: Word may fetch it when the "
        "document is opened; remove it"
    ),
    "external_in_template": N_("{part}: the template has {what}"),
    "external_in_output": N_("{part}: the rendered document has {what}"),
}
