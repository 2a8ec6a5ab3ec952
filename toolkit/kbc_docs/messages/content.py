"""The messages about a content file: reading it, its format, its checks, its images.

Each names what is wrong and what to write instead, for a clerk who does not know YAML.
"""

from kbc_docs.messages.catalogue import N_

MESSAGES: dict[str, str] = {
    "read_failed": N_("cannot read the file: {reason}; expected a readable YAML file"),
    "not_a_file": N_("not a regular file; expected a YAML file"),
    "no_such_file": N_("no such file; expected the path of a YAML file"),
    "too_large": N_(
        "the file is larger than {limit} bytes (the limit is passed on this line); "
        "a conference file is a few tens of KB"
    ),
    "not_utf8": N_("not UTF-8 text (byte {byte} cannot be read); save the file as UTF-8"),
    "utf16": N_(
        "saved as UTF-16 (what Word and Notepad call 'Unicode'), not UTF-8; "
        "save the file again choosing the encoding UTF-8"
    ),
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
    "empty_text_draft": N_(
        "the text is empty ({languages}); draft: printed as a dotted space; write it before the "
        "final build"
    ),
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
    "registry_missing": N_(
        "registry file '{name}' not found (looked for {path}); write it beside the content "
        "file with the places, parties and people the file names by id "
        "('kbc-docs schema registry' shows its fields), or correct 'registry:'"
    ),
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
    "too_many_texts": N_(
        "the document holds more than {limit} texts (titles, paragraphs, figures); a review "
        "report has a few dozen. Split it into several documents, or shorten it"
    ),
    "missing_glyph": N_(
        "the character '{char}' (U+{code} {name}) is in none of the fonts that print this "
        "'{lang}' text ({fonts}), so it cannot be printed; remove it or write it in words"
    ),
    "missing_glyph_template": N_(
        "the character '{char}' (U+{code} {name}) that this template prints in the '{lang}' "
        "version is in none of its fonts ({fonts}); change the template or the language file"
    ),
    "font_role_body": N_("body text"),
    "font_role_heading": N_("headings"),
    "font_role_national_title": N_("national title and motto"),
    "font_role_names": N_("signers' names"),
    "locale_placeholder": N_("unknown placeholder {{{name}}} in pattern {pattern!r}"),
}


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
