"""Every message a user reads, in the user's language, through gettext.

The clerks who write content files are Vietnamese; the developers and CI logs mostly read
English. Messages are written in English and translated in the gettext catalogue
``kbc_docs/data/locale/vi/LC_MESSAGES/kbc_docs.po`` (extracted and compiled with Babel by
``scripts/update_catalogue.py``; a test fails when a message has no translation or the compiled
``.mo`` is stale). The language is gettext's choice from the environment (``LANGUAGE``,
``LC_ALL``, ``LC_MESSAGES``, ``LANG``), read each time a message is made, so ``LANG=vi_VN.UTF-8``
gives Vietnamese and anything without a catalogue gives English.

Library code names a message by id (``msg("read_failed", reason=…)``), so the English wording
lives here once; ``N_`` only marks it for extraction. Placeholders are ``str.format`` fields;
literal braces are doubled (``{{vi: …}}``). The command line also hands this catalogue to Click
and Typer (:func:`use_for_click`), whose own messages are translated in the same ``.po``.
"""

from __future__ import annotations

import gettext
import re
from typing import Any

from kbc_docs.data import shipped

DOMAIN = "kbc_docs"
gettext.bindtextdomain(DOMAIN, shipped("locale"))


def N_(text: str) -> str:
    """Mark ``text`` for the catalogue without translating it yet (it is translated when used)."""
    return text


def _(text: str) -> str:
    """``text`` in the user's language, from kbc-docs' catalogue."""
    return gettext.dgettext(DOMAIN, text)


def language() -> str:
    """The language gettext chose for messages: ``vi``, or ``en`` when there is no catalogue."""
    found = gettext.translation(DOMAIN, shipped("locale"), fallback=True)
    if isinstance(found, gettext.GNUTranslations):
        return found.info().get("language", "en")
    return "en"


def use_for_click() -> None:
    """Make kbc-docs' catalogue the program's, so Click's and Typer's own messages translate.

    Click and Typer call :func:`gettext.gettext`, which reads the process's text domain; only the
    command line (a program, not a library) may set it.
    """
    gettext.textdomain(DOMAIN)


MESSAGES: dict[str, str] = {
    # --- reading the file (load.py) ---------------------------------------------------------
    "read_failed": N_("cannot read the file: {reason}; expected a readable YAML file"),
    "not_a_file": N_("not a regular file; expected a YAML file"),
    "no_such_file": N_("no such file; expected the path of a YAML file"),
    "too_large": N_(
        "the file is larger than {limit} bytes (the limit is passed on this line); "
        "a conference file is a few tens of KB"
    ),
    "not_utf8": N_("not UTF-8 text (byte {byte} cannot be read); save the file as UTF-8"),
    "control_character": N_(
        "contains the control character U+{code}, which YAML and Word refuse "
        "(pasted from another program?); delete it"
    ),
    "noncharacter": N_(
        "contains U+{code}, which is not a character (Word cannot open it; "
        "pasted from another program?); delete it"
    ),
    "yaml11_number": N_("YAML reads {value} as the number {number}, not as written"),
    "yaml11_write": N_("; write {plain} (or put it in quotes if it is text)"),
    "yaml11_quote": N_("; write plain digits such as 12, or put it in quotes if it is text"),
    "bidi_control": N_(
        "contains the invisible direction control U+{code}, which reorders the text on screen "
        '("Lê Thị Vệ" can show as something else); delete it'
    ),
    "blank_text": N_(
        "the text looks empty to a reader: no letter, digit or sign, only invisible characters "
        "or marks without a letter ({codes}); write the text"
    ),
    "yaml_syntax": N_("YAML syntax error: {problem}"),
    "tabs_hint": N_(" (tabs cannot indent YAML; use spaces)"),
    "empty_file": N_("the file is empty; expected keys and values such as 'document: …'"),
    "too_many_values": N_(
        "more than {limit} values (aliases expanding too far?); "
        "a conference file has a few thousand at most"
    ),
    "too_much_text": N_(
        "more than {limit} characters of text (one text repeated by aliases?); "
        "a conference file has a few tens of thousands"
    ),
    "too_deep": N_("nested more than {limit} levels deep; expected at most {limit} levels"),
    "duplicate_key": N_(
        "duplicate key '{key}' (first on line {first}); YAML would silently keep only the "
        "last one, so give each key once"
    ),
    "merge_key": N_("merge keys ('<<') are not supported; write the keys out"),
    "bad_tag": N_(
        "the YAML tag '{tag}' is not allowed; expected plain text, numbers, lists and keys"
    ),
    "folded_text": N_(
        "this Khmer or Lao text is folded over two lines, so YAML joins them with a space "
        "('{words}'), and a space there is a phrase break; write the text on one line, or "
        "as a '|' block, where a line break between two letters joins them without a space"
    ),
    "complex_key": N_("a key must be a plain word, not a list or a mapping"),
    "number_too_long": N_("a number of {digits} digits; expected at most {limit} digits"),
    "yaml_value": N_("YAML cannot read this value: {problem}"),
    # --- the content and registry formats (validate.py, schema.py) --------------------------
    "top_not_mapping": N_(
        "expected keys and values at the top level (such as 'document: …'), not {got}"
    ),
    "is_registry": N_(
        "this is a registry (places, parties, people), not a conference file; "
        "validate the conference files that name it in 'registry:'"
    ),
    "lang_key": N_(
        "'{key}' is not a language code such as vi, km or lo; a comma inside {{…}} starts "
        "a new key, so put text that contains commas in quotes"
    ),
    "id_key": N_("'{key}' is not a valid id; expected {expected}"),
    "not_a_date": N_("not a date (got {got}); write dates as YYYY-MM-DD"),
    "no_such_date": N_(
        "there is no such date (got {got}); expected a real calendar date as YYYY-MM-DD"
    ),
    "single_text": N_(
        "expected the text in each language, e.g. {{vi: …, km: …}}, not a single text (got {got})"
    ),
    "no_text": N_("no text in any language; expected {expected}"),
    "empty_text": N_("the text is empty; expected some text"),
    "unknown_key_hint": N_("unknown key '{key}'; did you mean '{hint}'?"),
    "unknown_key": N_("unknown key '{key}'; expected one of: {keys}"),
    "missing_field": N_("required field '{field}' is missing; expected {expected}"),
    "quote_it": N_('expected text, but YAML reads {got} as {kind}; put it in quotes: "…"'),
    "expected_got": N_("expected {expected} (got {got})"),
    "too_short": N_("expected at least {min} item(s), got {actual}"),
    "too_long_text": N_("the text is too long ({actual} characters); expected at most {max}"),
    "too_long_list": N_("too many items ({actual}); expected at most {max}"),
    "one_of": N_("expected one of {options} (got {got})"),
    "did_you_mean": N_("; did you mean '{hint}'?"),
    "at_least": N_("expected a number of at least {limit} (got {got})"),
    "at_most": N_("expected a number of at most {limit} (got {got})"),
    "period_order": N_("the period ends ({end}) before it starts ({start}); expected end ≥ start"),
    "span_one": N_("give exactly one of 'years' or 'months'"),
    "authority_needs_body": N_(
        "authority '{authority}' needs 'on_behalf_of' (the body signed for, in each language)"
    ),
    "figure_total": N_("value {value} is larger than total {total}; expected value ≤ total"),
    "missing_text": N_(
        "missing the '{lang}' text (the document is in {languages}); add it, or build a "
        "draft with --draft, which marks each missing text"
    ),
    # --- facts known in part, or to be completed (content/schema.py, content/check.py) ----
    "no_such_month": N_("no such month {got}; expected a month written YYYY-MM, e.g. 2015-03"),
    "not_a_partial_date": N_(
        "not a date (got {got}); write a day YYYY-MM-DD, a month YYYY-MM or a year YYYY, "
        "or {{todo: …}} when it is not known yet"
    ),
    "year_range": N_("year {got} is out of range; expected {low}–{high}"),
    "expect_number": N_('a number such as 23, 49.677 or "253494860.10"'),
    "too_many_decimals": N_("{got} has more than {limit} decimals; round it"),
    "figure_total_and_to": N_(
        "give 'total' (a ratio such as 23/28) or 'to' (a range such as 287–314), not both"
    ),
    "figure_range": N_("the range {value}–{to} does not go up; expected 'to' larger than 'value'"),
    "second_needs_first": N_(
        "a second authority line (KT./Q. under another) needs authority TM, TL or TUQ "
        "on the first line (got {authority})"
    ),
    "todo_reminder": N_("to be completed: {note} (printed as a dotted space to fill in by hand)"),
    "date_blank_reminder": N_(
        "the date line leaves the {parts} blank, to be written by hand at signing"
    ),
    "date_parts_day": N_("day"),
    "date_parts_day_month": N_("day and month"),
    "strict_todos": N_(
        "--strict: {count} fact(s) still to be completed (listed above); complete them, "
        "or build without --strict to print dotted spaces"
    ),
    "cli_todos": N_("{count} fact(s) to be completed, printed as dotted spaces"),
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
    "title_span": N_(
        "the title says '{found}' but the report says '{expected}' (document.reviews); "
        "write '{expected}' in the title, or set document.leading_zero"
    ),
    "number_form": N_(
        "'{got}' is not a {form} number and symbol; expected e.g. {example} "
        "(or {blank} to leave the number for the registry)"
    ),
    "number_pad": N_("number {got} below 10 takes a leading zero ({form}); write {fixed}"),
    "party_formats_mixed": N_(
        "the issuing bodies follow different formats ({formats}); one document follows "
        "one format (Decree 30 or Hướng dẫn 36-HD/VPTW)"
    ),
    "party_format_country": N_(
        "format: party is Hướng dẫn 36-HD/VPTW, the form of bodies of the Communist Party "
        "of Vietnam; a {country} body keeps format: state (its own party's form is not in "
        "the language files)"
    ),
    "party_dd": N_(
        "Hướng dẫn 36-HD/VPTW has no 'ĐẠI DIỆN' signature; a Party committee signs T/M "
        "(authority TM), a deputy K/T (KT)"
    ),
    "nobody_signs": N_("no party signs; give at least one party a 'signer'"),
    "review_needs_agreement": N_(
        "a {kind} report reviews an agreement; add the 'agreement' section (at least its name)"
    ),
    "plain_needs_name": N_("a plain report (bao-cao) without an agreement needs conference.name"),
    "missing_text_draft": N_("missing the '{lang}' text; draft: marked '{marker}' in the output"),
    "stray_language": N_("'{extra}' is not one of the document's languages ({languages})"),
    "listed_twice": N_("'{value}' is listed twice; expected each once"),
    "unknown_id_hint": N_("unknown {kind} id '{value}' in the registry; did you mean '{hint}'?"),
    "unknown_id": N_("unknown {kind} id '{value}' in the registry (known: {known})"),
    "host_not_party": N_("host '{host}' is not one of the parties ({parties})"),
    "no_locale": N_("no language file for '{lang}' (known: {known})"),
    "country_no_language": N_(
        "country {country} has no language among the document's languages ({languages})"
    ),
    "recipients_not_language": N_("'{lang}' is not a language of the document ({languages})"),
    "recipients_vi_missing": N_(
        "the Vietnamese version needs its 'Nơi nhận' list (Decree 30); expected a list"
    ),
    "signing_before_conference": N_(
        "signing date {signing} is before the conference ({conference}); "
        "expected the conference day or later"
    ),
    "agreement_after_conference": N_(
        "the agreement ({signed}) is signed after the conference that reviews it "
        "({conference}); expected an earlier date"
    ),
    "copies_uneven": N_(
        "{copies} copies cannot be shared equally among {parties} parties; "
        "expected a multiple of {parties}"
    ),
    "parallel_languages": N_(
        "the parallel layout sets two languages side by side, this document has "
        "{count} ({languages}); use layout: sequential or keep two languages"
    ),
    "path_outside": N_(
        "'{value}' leads outside the content file's folder ({folder}); put the file in that folder"
    ),
    "path_absolute": N_(
        "'{value}' is an absolute path; expected a path relative to the content file, such as "
        "registry.yaml or chu-ky.png"
    ),
    "path_url": N_(
        "'{value}' is a URL; expected the path of a file in the content file's folder, such as "
        "registry.yaml or chu-ky.png"
    ),
    # --- images named by the content (images.py) -------------------------------------------
    "image_missing": N_("image '{value}' not found (looked for {path})"),
    "image_not_file": N_("'{value}' is not a regular file; expected a PNG or JPEG file"),
    "image_too_big": N_(
        "the image file has {size} bytes, more than the limit of {limit}; scan it smaller"
    ),
    "image_too_large": N_(
        "the image is {width}×{height} pixels, more than {limit} on a side; "
        "scan it at a lower resolution"
    ),
    "image_type": N_(
        "not a PNG or JPEG image (judged by its content, not its name); save it as PNG"
    ),
    "image_broken": N_("the {kind} image cannot be read ({reason}); save it again"),
    "registry_missing": N_("registry file '{name}' not found (looked for {path})"),
    # --- what is expected: short descriptions of a field's type -----------------------------
    "expect_text": N_("the text in each language, e.g. {{vi: …, km: …}}"),
    "expect_string": N_("text"),
    "expect_int": N_("a whole number such as 23"),
    "expect_date": N_("a date written YYYY-MM-DD"),
    "expect_partial_date": N_("a day YYYY-MM-DD, a month YYYY-MM or a year YYYY"),
    "expect_id": N_("an id of lower-case letters, digits and '-', such as kien-giang"),
    "expect_lang": N_("a language code of 2–3 lower-case letters, such as vi or km"),
    "expect_country": N_("a two-letter country code in capitals, such as VN or KH"),
    "expect_list": N_("a list (lines starting with '- ')"),
    "expect_section": N_("keys such as {keys}"),
    "expect_mapping": N_("keys and values"),
    "expect_one_of": N_("one of {options}"),
    "expect_value": N_("a value"),
    "kind_bool": N_("a yes/no value"),
    "kind_number": N_("a number"),
    "kind_null": N_("nothing (an empty value)"),
    "kind_list": N_("a list"),
    "kind_mapping": N_("keys and values"),
    "kind_text": N_("a text"),
    "id_party": N_("party"),
    "id_person": N_("person"),
    "id_place": N_("place"),
    # --- what a template may compute (templates/sandbox.py) ---------------------------------------
    "template_too_slow": N_("the template took more than {seconds} s to fill; simplify its loops"),
    "template_range": N_("the template asks for range() of {count} numbers, more than {limit}"),
    "template_steps": N_("the template's loops run more than {limit} times in all; simplify them"),
    "template_output": N_(
        "the template produces more than {limit} characters; a document is far smaller"
    ),
    "template_size": N_("the template builds a text or list longer than {limit}"),
    "template_number": N_("the template computes a number of more than {limit} digits"),
    "template_width": N_("the template asks for a width or count above {limit}"),
    # --- the document as a whole (content/check.py, content/resolve.py) --------------------------
    "too_many_texts": N_(
        "the document holds more than {limit} texts (titles, paragraphs, figures); a review "
        "report has a few dozen. Split it into several documents, or shorten it"
    ),
    "missing_glyph": N_(
        "the character '{char}' (U+{code}) is in none of the fonts for '{lang}' ({fonts}), so "
        "it cannot be printed; remove it or write it in words"
    ),
    # --- files named on the command line (safepath.read_limited) ----------------------------------
    "no_such_file_plain": N_("no such file"),
    "not_a_regular_file": N_("not a regular file (a folder or a device); name a file"),
    "cannot_read": N_("cannot read it: {reason}"),
    "file_too_large": N_(
        "larger than {limit} bytes, more than such a file ever is; is it the right file?"
    ),
    # --- signing and verifying (sign.py) ----------------------------------------------------------
    "p12_damaged": N_(
        "not a PKCS#12 certificate file, or a damaged or truncated one; export it again"
    ),
    "p12_passphrase": N_(
        "wrong passphrase for this certificate file (set KBC_P12_PASSPHRASE or type it)"
    ),
    "p12_no_key": N_("the certificate file holds no private key; export it with the key"),
    "p12_unusable": N_("the key and certificate cannot be used for signing: {reason}"),
    "pdf_unreadable": N_("not a readable PDF, or a damaged or truncated one ({reason})"),
    "not_a_certificate": N_("not a certificate (expected an X.509 certificate, DER or PEM)"),
    # --- output folders and their lock (write.py) -------------------------------------------------
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
    # --- an office's template folder given with --templates (templates/lookup.py) -----------------
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
    # --- the command line (cli.py) ----------------------------------------------------------
    "cli_problems": N_("{count} problem(s)"),
    "cli_nothing_written": N_("nothing written for {file}; earlier outputs are untouched"),
    "cli_nothing_written_at_all": N_("nothing written; earlier outputs are untouched"),
    "cli_interrupted": N_("interrupted: nothing more was written; earlier outputs are untouched"),
    "cli_valid": N_("{file} is valid"),
    "cli_up_to_date": N_(
        "{file}: up to date, nothing changed since the last build (--force rebuilds)"
    ),
    "cli_watching": N_("watching {file} and its templates; Ctrl-C stops"),
    "cli_watch_stopped": N_("stopped watching"),
    "cli_valid_draft": N_("{file} is valid as a draft (missing translations are marked)"),
    "cli_draft_gaps": N_("draft: {count} missing translation(s) marked in the output"),
    "cli_unknown_schema": N_("unknown schema '{what}': choose content or registry"),
    # --- translate export/import (translate/) -------------------------------------------------
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
    "tr_nothing": N_("nothing to translate: every '{lang}' text is there and up to date"),
    "tr_report": N_(
        "{filled} filled, {changed} changed, {unchanged} unchanged, {empty} left empty, "
        "{review} for review"
    ),
    "tr_dry_run": N_("dry run: the content file was not changed"),
    "tr_complete": N_("every '{lang}' text is in; build with: kbc-docs build {file}"),
    "tr_still_missing": N_(
        "{count} '{lang}' text(s) still missing; to send them: kbc-docs translate export "
        "{file} --to {lang} --only-missing"
    ),
    "tr_hint": N_(
        "{count} '{lang}' translation(s) missing; for the translator run: kbc-docs translate "
        "export {file} --to {lang} --only-missing"
    ),
    "cli_skipped": N_("{file} is a registry, not a conference file: skipped"),
    "cli_summary": N_("built {built}, failed {failed}, skipped {skipped} in {seconds} s"),
    "cli_no_viewer": N_("no program to open PDF files was found; open {file} yourself"),
    "cli_new_todo": N_(
        "{count} place(s) marked to be completed ('todo:'); fill them in, then run: kbc-docs "
        "validate {file}"
    ),
    "new_exists": N_("already exists; choose another name (nothing is overwritten)"),
    "new_not_yaml": N_("a content file name ends in .yaml"),
    "verify_not_signed": N_("{field}: not signed yet"),
    "verify_no_signature": N_("this PDF has no signature"),
    "verify_signed_by": N_("{field}: signed by {signer} on {when}"),
    "verify_broken": N_(
        "the signature does not match the document: the signed part was changed or the signature "
        "is damaged ({reason})"
    ),
    "verify_changed_after": N_(
        "the document was changed after this signature (not by another signature or a form "
        "field); ask the sender for the original"
    ),
    "verify_unchanged": N_("the document has not changed since it was signed"),
    "verify_signatures_after": N_(
        "the document has not changed since it was signed, except for later signatures"
    ),
    "verify_timestamped": N_("the time of signing is vouched for by a timestamp authority"),
    "verify_trusted": N_("the certificate is trusted (issued by {issuer})"),
    "verify_self_signed": N_(
        "the certificate is NOT trusted: {signer} made it themselves (self-signed), so nobody "
        "vouches that it is theirs; if you received it from them in person, check again with "
        "--trust <certificate file>"
    ),
    "verify_unknown_issuer": N_(
        "the certificate is NOT trusted: it was issued by {issuer}, which is not among the "
        "certificates you trust; add that authority's certificate with --trust"
    ),
    "verify_expired": N_(
        "the certificate is NOT trusted: it was not valid when the document was signed (expired "
        "or not yet valid)"
    ),
    "verify_revoked": N_("the certificate is NOT trusted: {issuer} has revoked it"),
    "verify_not_for_signing": N_(
        "the certificate is NOT trusted: it is not meant for signing documents"
    ),
    "verify_untrusted_other": N_("the certificate is NOT trusted ({reason})"),
    "lint_error": N_("error"),
    "lint_warning": N_("warning"),
    "lint_cell": N_("table {table}, row {row}, cell {cell}"),
    "lint_paragraph": N_("paragraph {number}"),
    "lint_line": N_("line {number}"),
    "lint_none": N_("no problems found"),
    "lint_counts": N_("{errors} error(s), {warnings} warning(s)"),
    "lint_no_template": N_("no such template"),
    "lint_not_template": N_("not a template (expected .docx or .html)"),
    "template_name": N_("{name!r} is not a template name inside the template folder"),
    "template_missing": N_("template {name!r} not found in {folders}"),
    "template_none_to_copy": N_("{folder}: no templates to copy"),
    "template_exists": N_("already exists; remove it or choose another folder"),
    "templates_no_folder": N_("no such folder: {folder}"),
    "sign_no_field": N_("no signature field {field!r} (fields: {known})"),
    "sign_none": N_("none"),
    "sign_already": N_("signature field {field!r} is already signed"),
    "sign_bad_key": N_("cannot read the key and certificate: {reason}"),
    "sign_wrong_passphrase": N_("cannot read the key and certificate (wrong passphrase?)"),
    "sign_failed": N_("signing field {field!r} failed: {reason}"),
    "sign_no_font": N_("font {font!r} for the signature stamp not found (install fonts-noto-core)"),
    "verify_cannot_validate": N_("cannot be validated: {reason}"),
    "locale_placeholder": N_("unknown placeholder {{{name}}} in pattern {pattern!r}"),
    "font_missing": N_(
        "font {family!r} (language {lang!r}) is not installed; install it with: apt-get install "
        "{install}"
    ),
    "font_package_unknown": N_("the package that provides it"),
    "font_cannot_check": N_(
        "fontconfig's fc-match is not installed, so fonts cannot be checked; install it with: "
        "apt-get install fontconfig"
    ),
    "font_no_stack": N_("no font stack is declared for language {lang!r}"),
    "font_not_installed": N_("font {family!r} is not installed (fontconfig offers {families!r})"),
    "font_not_truetype": N_("font {family!r} ({file}) is not a TrueType file Word can embed"),
    "font_no_bold": N_("font {family!r} has no bold face"),
    "font_unresolved": N_("fontconfig cannot resolve font {family!r}"),
    "docx_no_template": N_("{template}: no such template"),
    "docx_not_word": N_("{template}: not a Word document ({reason})"),
    "docx_too_much": N_("{template}: the template asks for too much: {reason}"),
    "docx_bad_xml": N_("{template}: rendering produced invalid XML: {reason}"),
    "pdf_template_missing": N_("template {template!r} not found in {where}"),
    "pdf_too_much": N_("template {template!r} asks for too much: {reason}"),
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
}

GAP_MARKER = "⟦THIẾU BẢN DỊCH {lang}⟧"
"""Put in the output where a translation is missing (``--draft``): loud, and never real text."""

DRAFT_WORDS = {"vi": "BẢN NHÁP", "km": "សេចក្ដីព្រាង · DRAFT", "lo": "ຮ່າງ · DRAFT"}
"""The word "draft" per language, put before each version's title by ``--draft``."""


def msg(message_id: str, **params: Any) -> str:
    """The message ``message_id`` in the user's language, with ``params`` filled in."""
    return _(MESSAGES[message_id]).format(**params)


def draft_title(lang: str) -> str:
    """The marker put before a version's title in a draft build, e.g. ``⟦BẢN NHÁP⟧``."""
    return f"⟦{DRAFT_WORDS.get(lang, 'DRAFT')}⟧"


YAML_PROBLEMS: dict[str, str] = {
    "found character that cannot start any token": N_(
        "found a character that cannot start any value"
    ),
    "found a tab character that violates indentation": N_(
        "found a tab character that breaks the indentation"
    ),
    "mapping values are not allowed in this context": N_(
        "a 'key: value' is not allowed here (text containing ': ' must be in quotes)"
    ),
    "did not find expected node content": N_("a value is missing here"),
    "did not find expected key": N_("expected a key here (is the indentation right?)"),
    "could not find expected ':'": N_("could not find the expected ':' after a key"),
    "did not find expected ',' or ']'": N_("expected ',' or ']' in a [...] list"),
    "did not find expected ',' or '}'": N_("expected ',' or '}' in a {...} mapping"),
    "did not find expected '-' indicator": N_(
        "expected a list item starting with '- ' (is the indentation right?)"
    ),
    "block sequence entries are not allowed in this context": N_(
        "a list item '- ' is not allowed here (is the indentation right?)"
    ),
    "found unexpected end of stream": N_(
        "the file ends inside a quoted text (a closing quote is missing)"
    ),
    "found undefined alias": N_(
        "an alias (*name) refers to an anchor (&name) that is not defined before it"
    ),
    "but found another document": N_(
        "the file holds more than one YAML document (remove the second '---')"
    ),
    "found unknown escape character": N_(
        "unknown escape (\\) in a double-quoted text; write \\\\ for a backslash"
    ),
    "found unexpected ':'": N_("found an unexpected ':' (put text containing ':' in quotes)"),
}
"""The parser's most frequent complaints, reworded for people who do not know YAML's grammar."""


def yaml_problem(problem: str) -> str:
    """The parser's ``problem`` in the user's language when known, else as the parser said it."""
    key = re.sub(r"character '.*?' that", "character that", problem)  # PyYAML names it
    for known, text in YAML_PROBLEMS.items():
        if key.startswith(known):
            return _(text)
    return problem
