"""The messages of the translator's round trip (``kbc-docs translate export/import``).

They tell a clerk what the translator's file did wrong and what to send back.
"""

from kbc_docs.messages.catalogue import N_

MESSAGES: dict[str, str] = {
    "tr_bad_target": N_(
        "cannot translate into '{lang}': the document's other languages are {languages}"
    ),
    "tr_one_language": N_("the document is only in '{lang}': there is nothing to translate"),
    "tr_state_broken": N_(
        "the translation state file cannot be read ({reason}); delete it and export again"
    ),
    "tr_too_large": N_(
        "the file is larger than {limit} bytes; this is not a translation of one content file"
    ),
    "tr_xml_broken": N_(
        "not a well-formed XLIFF file ({reason}); export it again from the translation "
        "tool, or send the original file back to the translator"
    ),
    "tr_not_xliff": N_(
        "not an XLIFF file (it starts with <{tag}>); give the .xlf or .docx file returned"
    ),
    "tr_xliff_files": N_(
        "the XLIFF holds {count} <file> parts; kbc-docs exports exactly one per content file"
    ),
    "tr_where_line": N_("line {line}"),
    "tr_where_row": N_("row {row}"),
    "tr_docx_broken": N_("not a readable Word file; save it again in Word as .docx and retry"),
    "tr_docx_not_ours": N_(
        "this Word file is not a translation table made by 'kbc-docs translate export' "
        "(its properties or its table are missing); export a new table"
    ),
    "tr_row_added": N_(
        "table row {row} was added and holds text; put that text into the row it belongs to"
    ),
    "tr_row_moved": N_(
        "the rows were moved or deleted: table row {row} should be number {expected} but is "
        "'{got}'; undo the change (or export a new table) and copy the translations back"
    ),
    "tr_rows_missing": N_(
        "the table should have {expected} text rows but has {got}; rows were deleted — "
        "undo the deletion or export a new table"
    ),
    "tr_other_file": N_(
        "this translation was made for {made_for}, not {file}; import it into {made_for}"
    ),
    "tr_other_source": N_(
        "the translation is from '{got}', but the content file's source language is '{expected}'"
    ),
    "tr_duplicate_unit": N_("the text {id} appears twice; export it again"),
    "tr_unit_gone": N_("this text is no longer in the content file; not imported"),
    "tr_unit_gone_registry": N_(
        "this registry text is no longer one the content file's documents print (or the entry "
        "is gone); not imported — the registry is left as it is"
    ),
    "tr_source_changed": N_(
        "the Vietnamese changed after the export; not written — kept for review, "
        "export again to have it checked"
    ),
    "tr_wrong_script": N_(
        "the translation has no '{lang}' letters (wrong column or language?); not written"
    ),
    "tr_not_a_text": N_("{path} is not a text in the content file"),
    "tr_merge_mismatch": N_(
        "the merged file would differ from the intended edit; nothing written (a bug)"
    ),
    "tr_result_invalid": N_(
        "the content file would be invalid after the import, so nothing was written: {reason}"
    ),
    "tr_write_failed": N_(
        "cannot write the file ({reason}); nothing was changed — check it may be written"
    ),
    "tr_unknown_format": N_(
        "neither an XLIFF nor a Word (.docx) file; a Word 97 .doc or a PDF cannot be "
        "read — save it in Word as .docx, or send back the .xlf the tool exported"
    ),
    "tr_exported": N_("{count} text(s) to translate into '{lang}' ({missing} missing or changed)"),
    "tr_exported_registry": N_(
        "{count} of them from the shared registry {registry} (names of parties, places and "
        "people, titles); the import writes their translations into the registry"
    ),
    "tr_nothing": N_("nothing to translate: every '{lang}' text is there and up to date"),
    "tr_report": N_(
        "{filled} filled, {changed} changed, {unchanged} unchanged, {empty} left empty, "
        "{review} for review"
    ),
    "tr_report_registry": N_(
        "of these, written into the shared registry {registry}: {filled} filled, {changed} "
        "changed (every conference that names these entries prints them)"
    ),
    "tr_dry_run": N_("dry run: the content file and the registry were not changed"),
    "tr_doctype": N_(
        "the XLIFF declares a DOCTYPE (a DTD or entities), which kbc-docs does not read: an "
        "entity could stand for any text or file; export the translated file again from the "
        "translation tool (XLIFF needs no DOCTYPE), or delete the <!DOCTYPE …> declaration"
    ),
    "tr_complete": N_("every '{lang}' text is in; build with: kbc-docs build {file}"),
    "tr_still_missing": N_(
        "{count} '{lang}' text(s) still missing; to send them: kbc-docs translate export "
        "{file} --to {lang} --only-missing"
    ),
    "tr_hint": N_(
        "{count} '{lang}' translation(s) missing; for the translator run: kbc-docs translate "
        "export {file} --to {lang} --only-missing"
    ),
}
