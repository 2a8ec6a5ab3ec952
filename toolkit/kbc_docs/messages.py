"""Every message a user reads, in English and Vietnamese, keyed by a message id.

The clerks who write content files are Vietnamese; the developers and CI logs mostly read
English. A small dict keyed by id (rather than gettext ``.po`` files) keeps each English wording
next to its translation, so a new message cannot be added in one language only (a test checks
that every id has both). The language is chosen per message, from the environment at the moment
the message is made, the way POSIX programs do: the first of ``LC_ALL``, ``LC_MESSAGES`` and
``LANG`` that is set decides; a value starting with ``vi`` means Vietnamese, anything else
(including nothing) English.

Placeholders are ``str.format`` fields; literal braces are doubled (``{{vi: …}}``).
"""

from __future__ import annotations

import os
import re
from typing import Any

Language = str  # "en" or "vi"

CATALOG: dict[str, dict[Language, str]] = {
    # --- reading the file (load.py) ---------------------------------------------------------
    "read_failed": {
        "en": "cannot read the file: {reason}; expected a readable YAML file",
        "vi": "không đọc được tệp: {reason}; cần một tệp YAML đọc được",
    },
    "not_a_file": {
        "en": "not a regular file; expected a YAML file",
        "vi": "không phải là một tệp thông thường; cần một tệp YAML",
    },
    "no_such_file": {
        "en": "no such file; expected the path of a YAML file",
        "vi": "không có tệp này; cần đường dẫn đến một tệp YAML",
    },
    "too_large": {
        "en": (
            "the file is larger than {limit} bytes (the limit is passed on this line); "
            "a conference file is a few tens of KB"
        ),
        "vi": (
            "tệp lớn hơn {limit} byte (vượt giới hạn ở dòng này); "
            "một tệp hội nghị chỉ khoảng vài chục KB"
        ),
    },
    "not_utf8": {
        "en": "not UTF-8 text (byte {byte} cannot be read); save the file as UTF-8",
        "vi": (
            "không phải văn bản UTF-8 (không đọc được byte {byte}); hãy lưu tệp với bảng mã UTF-8"
        ),
    },
    "control_character": {
        "en": (
            "contains the control character U+{code}, which YAML and Word refuse "
            "(pasted from another program?); delete it"
        ),
        "vi": (
            "chứa ký tự điều khiển U+{code} mà YAML và Word không chấp nhận "
            "(dán từ chương trình khác?); hãy xóa ký tự này"
        ),
    },
    "noncharacter": {
        "en": (
            "contains U+{code}, which is not a character (Word cannot open it; "
            "pasted from another program?); delete it"
        ),
        "vi": (
            "chứa U+{code}, không phải là một ký tự (Word không mở được; "
            "dán từ chương trình khác?); hãy xóa nó"
        ),
    },
    "yaml_syntax": {
        "en": "YAML syntax error: {problem}",
        "vi": "lỗi cú pháp YAML: {problem}",
    },
    "tabs_hint": {
        "en": " (tabs cannot indent YAML; use spaces)",
        "vi": " (YAML không cho thụt lề bằng phím Tab; hãy dùng dấu cách)",
    },
    "empty_file": {
        "en": "the file is empty; expected keys and values such as 'document: …'",
        "vi": "tệp rỗng; cần các khóa và giá trị, ví dụ 'document: …'",
    },
    "too_many_values": {
        "en": (
            "more than {limit} values (aliases expanding too far?); "
            "a conference file has a few thousand at most"
        ),
        "vi": (
            "nhiều hơn {limit} giá trị (bí danh YAML mở rộng quá mức? — aliases); "
            "một tệp hội nghị chỉ có tối đa vài nghìn"
        ),
    },
    "too_much_text": {
        "en": (
            "more than {limit} characters of text (one text repeated by aliases?); "
            "a conference file has a few tens of thousands"
        ),
        "vi": (
            "nhiều hơn {limit} ký tự văn bản (một đoạn văn bản bị lặp lại bằng bí danh?); "
            "một tệp hội nghị chỉ có vài chục nghìn"
        ),
    },
    "too_deep": {
        "en": "nested more than {limit} levels deep; expected at most {limit} levels",
        "vi": "lồng nhau sâu hơn {limit} cấp; chỉ được tối đa {limit} cấp",
    },
    "duplicate_key": {
        "en": (
            "duplicate key '{key}' (first on line {first}); YAML would silently keep only the "
            "last one, so give each key once"
        ),
        "vi": (
            "khóa '{key}' bị lặp (lần đầu ở dòng {first}); YAML sẽ âm thầm chỉ giữ lần cuối, "
            "mỗi khóa chỉ được ghi một lần"
        ),
    },
    "merge_key": {
        "en": "merge keys ('<<') are not supported; write the keys out",
        "vi": "không hỗ trợ khóa gộp ('<<'); hãy viết đầy đủ các khóa",
    },
    "bad_tag": {
        "en": "the YAML tag '{tag}' is not allowed; expected plain text, numbers, lists and keys",
        "vi": "không được dùng thẻ YAML '{tag}'; chỉ dùng văn bản, số, danh sách và khóa",
    },
    "folded_text": {
        "en": (
            "this Khmer or Lao text is folded over two lines, so YAML joins them with a space "
            "('{words}'), and a space there is a phrase break; write the text on one line, or "
            "as a '|' block, where a line break between two letters joins them without a space"
        ),
        "vi": (
            "văn bản tiếng Khmer/Lào này bị gập qua hai dòng nên YAML nối chúng bằng một dấu "
            "cách ('{words}'), mà dấu cách ở đó là chỗ ngắt cụm từ; hãy viết văn bản trên một "
            "dòng, hoặc dùng khối '|', trong đó xuống dòng giữa hai chữ cái được nối liền "
            "không có dấu cách"
        ),
    },
    "complex_key": {
        "en": "a key must be a plain word, not a list or a mapping",
        "vi": "khóa phải là một từ đơn giản, không phải danh sách hay ánh xạ",
    },
    "number_too_long": {
        "en": "a number of {digits} digits; expected at most {limit} digits",
        "vi": "số có {digits} chữ số; chỉ được tối đa {limit} chữ số",
    },
    "yaml_value": {
        "en": "YAML cannot read this value: {problem}",
        "vi": "YAML không đọc được giá trị này: {problem}",
    },
    # --- the content and registry formats (validate.py, schema.py) --------------------------
    "top_not_mapping": {
        "en": "expected keys and values at the top level (such as 'document: …'), not {got}",
        "vi": "ở cấp ngoài cùng cần các khóa và giá trị (ví dụ 'document: …'), không phải {got}",
    },
    "is_registry": {
        "en": (
            "this is a registry (places, parties, people), not a conference file; "
            "validate the conference files that name it in 'registry:'"
        ),
        "vi": (
            "đây là tệp sổ đăng ký (places, parties, people), không phải tệp hội nghị; "
            "hãy kiểm tra các tệp hội nghị có ghi nó ở 'registry:'"
        ),
    },
    "lang_key": {
        "en": (
            "'{key}' is not a language code such as vi, km or lo; a comma inside {{…}} starts "
            "a new key, so put text that contains commas in quotes"
        ),
        "vi": (
            "'{key}' không phải mã ngôn ngữ như vi, km hay lo; dấu phẩy bên trong {{…}} mở "
            "một khóa mới, nên văn bản có dấu phẩy phải đặt trong ngoặc kép"
        ),
    },
    "id_key": {
        "en": "'{key}' is not a valid id; expected {expected}",
        "vi": "'{key}' không phải là mã hợp lệ; cần {expected}",
    },
    "not_a_date": {
        "en": "not a date (got {got}); write dates as YYYY-MM-DD",
        "vi": "không phải ngày tháng (nhận được {got}); hãy viết ngày theo dạng YYYY-MM-DD",
    },
    "no_such_date": {
        "en": "there is no such date (got {got}); expected a real calendar date as YYYY-MM-DD",
        "vi": "không có ngày này (nhận được {got}); cần một ngày có thật, dạng YYYY-MM-DD",
    },
    "single_text": {
        "en": (
            "expected the text in each language, e.g. {{vi: …, km: …}}, "
            "not a single text (got {got})"
        ),
        "vi": (
            "cần văn bản cho từng ngôn ngữ, ví dụ {{vi: …, km: …}}, "
            "không phải một văn bản duy nhất (nhận được {got})"
        ),
    },
    "no_text": {
        "en": "no text in any language; expected {expected}",
        "vi": "không có văn bản bằng ngôn ngữ nào; cần {expected}",
    },
    "empty_text": {
        "en": "the text is empty; expected some text",
        "vi": "văn bản trống; cần có nội dung",
    },
    "unknown_key_hint": {
        "en": "unknown key '{key}'; did you mean '{hint}'?",
        "vi": "khóa '{key}' không tồn tại; có phải ý bạn là '{hint}'?",
    },
    "unknown_key": {
        "en": "unknown key '{key}'; expected one of: {keys}",
        "vi": "khóa '{key}' không tồn tại; các khóa hợp lệ: {keys}",
    },
    "missing_field": {
        "en": "required field '{field}' is missing; expected {expected}",
        "vi": "thiếu trường bắt buộc '{field}'; cần {expected}",
    },
    "quote_it": {
        "en": 'expected text, but YAML reads {got} as {kind}; put it in quotes: "…"',
        "vi": 'cần văn bản, nhưng YAML hiểu {got} là {kind}; hãy đặt nó trong ngoặc kép: "…"',
    },
    "expected_got": {
        "en": "expected {expected} (got {got})",
        "vi": "cần {expected} (nhận được {got})",
    },
    "too_short": {
        "en": "expected at least {min} item(s), got {actual}",
        "vi": "cần ít nhất {min} mục, hiện có {actual}",
    },
    "too_long_text": {
        "en": "the text is too long ({actual} characters); expected at most {max}",
        "vi": "văn bản quá dài ({actual} ký tự); chỉ được tối đa {max}",
    },
    "too_long_list": {
        "en": "too many items ({actual}); expected at most {max}",
        "vi": "quá nhiều mục ({actual}); chỉ được tối đa {max}",
    },
    "one_of": {
        "en": "expected one of {options} (got {got})",
        "vi": "cần một trong các giá trị {options} (nhận được {got})",
    },
    "did_you_mean": {
        "en": "; did you mean '{hint}'?",
        "vi": "; có phải ý bạn là '{hint}'?",
    },
    "at_least": {
        "en": "expected a number of at least {limit} (got {got})",
        "vi": "cần một số không nhỏ hơn {limit} (nhận được {got})",
    },
    "at_most": {
        "en": "expected a number of at most {limit} (got {got})",
        "vi": "cần một số không lớn hơn {limit} (nhận được {got})",
    },
    "period_order": {
        "en": "the period ends ({end}) before it starts ({start}); expected end ≥ start",
        "vi": (
            "giai đoạn kết thúc ({end}) trước khi bắt đầu ({start}); "
            "năm kết thúc phải ≥ năm bắt đầu"
        ),
    },
    "span_one": {
        "en": "give exactly one of 'years' or 'months'",
        "vi": "hãy ghi đúng một trong hai: 'years' (năm) hoặc 'months' (tháng)",
    },
    "authority_needs_body": {
        "en": (
            "authority '{authority}' needs 'on_behalf_of' (the body signed for, in each language)"
        ),
        "vi": (
            "thẩm quyền '{authority}' cần 'on_behalf_of' (cơ quan được ký thay, theo từng ngôn ngữ)"
        ),
    },
    "figure_total": {
        "en": "value {value} is larger than total {total}; expected value ≤ total",
        "vi": "giá trị {value} lớn hơn tổng {total}; giá trị phải ≤ tổng",
    },
    "missing_text": {
        "en": (
            "missing the '{lang}' text (the document is in {languages}); add it, or build a "
            "draft with --draft, which marks each missing text"
        ),
        "vi": (
            "thiếu văn bản '{lang}' (văn bản có các ngôn ngữ {languages}); hãy bổ sung, hoặc "
            "tạo bản nháp với --draft (đánh dấu từng chỗ thiếu)"
        ),
    },
    # --- facts known in part, or to be completed (content/schema.py, content/check.py) ----
    "no_such_month": {
        "en": "no such month {got}; expected a month written YYYY-MM, e.g. 2015-03",
        "vi": "không có tháng {got}; hãy ghi tháng dạng YYYY-MM, ví dụ 2015-03",
    },
    "not_a_partial_date": {
        "en": (
            "not a date (got {got}); write a day YYYY-MM-DD, a month YYYY-MM or a year YYYY, "
            "or {{todo: …}} when it is not known yet"
        ),
        "vi": (
            "không phải ngày tháng (nhận được {got}); hãy ghi ngày YYYY-MM-DD, tháng YYYY-MM "
            "hoặc năm YYYY, hoặc {{todo: …}} khi chưa biết"
        ),
    },
    "year_range": {
        "en": "year {got} is out of range; expected {low}–{high}",
        "vi": "năm {got} nằm ngoài khoảng cho phép; cần từ {low} đến {high}",
    },
    "expect_number": {
        "en": 'a number such as 23, 49.677 or "253494860.10"',
        "vi": 'một số, ví dụ 23, 49.677 hoặc "253494860.10"',
    },
    "too_many_decimals": {
        "en": "{got} has more than {limit} decimals; round it",
        "vi": "{got} có hơn {limit} chữ số thập phân; hãy làm tròn",
    },
    "figure_total_and_to": {
        "en": "give 'total' (a ratio such as 23/28) or 'to' (a range such as 287–314), not both",
        "vi": (
            "chỉ ghi 'total' (tỷ lệ, ví dụ 23/28) hoặc 'to' (khoảng, ví dụ 287–314), "
            "không ghi cả hai"
        ),
    },
    "figure_range": {
        "en": "the range {value}–{to} does not go up; expected 'to' larger than 'value'",
        "vi": "khoảng {value}–{to} không tăng dần; 'to' phải lớn hơn 'value'",
    },
    "second_needs_first": {
        "en": (
            "a second authority line (KT./Q. under another) needs authority TM, TL or TUQ "
            "on the first line (got {authority})"
        ),
        "vi": (
            "dòng thẩm quyền thứ hai (KT./Q.) cần dòng thứ nhất là TM, TL hoặc TUQ "
            "(đang là {authority})"
        ),
    },
    "todo_reminder": {
        "en": "to be completed: {note} (printed as a dotted space to fill in by hand)",
        "vi": "cần bổ sung: {note} (in thành dòng chấm để điền tay)",
    },
    "date_blank_reminder": {
        "en": "the date line leaves the {parts} blank, to be written by hand at signing",
        "vi": "dòng ngày tháng để trống {parts}, điền tay khi ký",
    },
    "date_parts_day": {"en": "day", "vi": "ngày"},
    "date_parts_day_month": {"en": "day and month", "vi": "ngày và tháng"},
    "strict_todos": {
        "en": (
            "--strict: {count} fact(s) still to be completed (listed above); complete them, "
            "or build without --strict to print dotted spaces"
        ),
        "vi": (
            "--strict: còn {count} nội dung cần bổ sung (liệt kê ở trên); hãy bổ sung, "
            "hoặc tạo không có --strict để in dòng chấm"
        ),
    },
    "cli_todos": {
        "en": "{count} fact(s) to be completed, printed as dotted spaces",
        "vi": "{count} nội dung cần bổ sung, in thành dòng chấm",
    },
    "title_span": {
        "en": (
            "the title says '{found}' but the report says '{expected}' (document.reviews); "
            "write '{expected}' in the title, or set document.leading_zero"
        ),
        "vi": (
            "trích yếu ghi '{found}' nhưng báo cáo ghi '{expected}' (document.reviews); "
            "hãy ghi '{expected}' trong trích yếu, hoặc đặt document.leading_zero"
        ),
    },
    "number_form": {
        "en": (
            "'{got}' is not a {form} number and symbol; expected e.g. {example} "
            "(or {blank} to leave the number for the registry)"
        ),
        "vi": (
            "'{got}' không đúng dạng số, ký hiệu {form}; ví dụ {example} "
            "(hoặc {blank} để văn thư ghi số khi phát hành)"
        ),
    },
    "number_pad": {
        "en": "number {got} below 10 takes a leading zero ({form}); write {fixed}",
        "vi": "số {got} nhỏ hơn 10 phải có số 0 phía trước ({form}); hãy ghi {fixed}",
    },
    "party_formats_mixed": {
        "en": (
            "the issuing bodies follow different formats ({formats}); one document follows "
            "one format (Decree 30 or Hướng dẫn 36-HD/VPTW)"
        ),
        "vi": (
            "các cơ quan ban hành theo các thể thức khác nhau ({formats}); một văn bản chỉ theo "
            "một thể thức (Nghị định 30 hoặc Hướng dẫn 36-HD/VPTW)"
        ),
    },
    "party_format_country": {
        "en": (
            "format: party is Hướng dẫn 36-HD/VPTW, the form of bodies of the Communist Party "
            "of Vietnam; a {country} body keeps format: state (its own party's form is not in "
            "the language files)"
        ),
        "vi": (
            "format: party là thể thức Hướng dẫn 36-HD/VPTW của các cơ quan Đảng Cộng sản Việt "
            "Nam; cơ quan của {country} giữ format: state (thể thức đảng của nước đó chưa có "
            "trong tệp ngôn ngữ)"
        ),
    },
    "party_dd": {
        "en": (
            "Hướng dẫn 36-HD/VPTW has no 'ĐẠI DIỆN' signature; a Party committee signs T/M "
            "(authority TM), a deputy K/T (KT)"
        ),
        "vi": (
            "Hướng dẫn 36-HD/VPTW không có cách ký 'ĐẠI DIỆN'; cấp ủy ký T/M (authority TM), "
            "cấp phó ký K/T (KT)"
        ),
    },
    "nobody_signs": {
        "en": "no party signs; give at least one party a 'signer'",
        "vi": "không bên nào ký; hãy ghi 'signer' cho ít nhất một bên",
    },
    "review_needs_agreement": {
        "en": (
            "a {kind} report reviews an agreement; add the 'agreement' section (at least its name)"
        ),
        "vi": (
            "báo cáo {kind} sơ/tổng kết một văn bản thỏa thuận; hãy thêm mục 'agreement' "
            "(ít nhất tên)"
        ),
    },
    "plain_needs_name": {
        "en": "a plain report (bao-cao) without an agreement needs conference.name",
        "vi": "báo cáo thường (bao-cao) không có văn bản thỏa thuận cần ghi conference.name",
    },
    "missing_text_draft": {
        "en": "missing the '{lang}' text; draft: marked '{marker}' in the output",
        "vi": "thiếu văn bản '{lang}'; bản nháp: đánh dấu '{marker}' trong tài liệu",
    },
    "stray_language": {
        "en": "'{extra}' is not one of the document's languages ({languages})",
        "vi": "'{extra}' không thuộc các ngôn ngữ của văn bản ({languages})",
    },
    "listed_twice": {
        "en": "'{value}' is listed twice; expected each once",
        "vi": "'{value}' bị ghi hai lần; mỗi mục chỉ ghi một lần",
    },
    "unknown_id_hint": {
        "en": "unknown {kind} id '{value}' in the registry; did you mean '{hint}'?",
        "vi": "mã {kind} '{value}' không có trong sổ đăng ký; có phải ý bạn là '{hint}'?",
    },
    "unknown_id": {
        "en": "unknown {kind} id '{value}' in the registry (known: {known})",
        "vi": "mã {kind} '{value}' không có trong sổ đăng ký (các mã có: {known})",
    },
    "host_not_party": {
        "en": "host '{host}' is not one of the parties ({parties})",
        "vi": "bên chủ trì '{host}' không thuộc các bên tham gia ({parties})",
    },
    "no_locale": {
        "en": "no language file for '{lang}' (known: {known})",
        "vi": "không có tệp ngôn ngữ cho '{lang}' (các ngôn ngữ có: {known})",
    },
    "country_no_language": {
        "en": "country {country} has no language among the document's languages ({languages})",
        "vi": (
            "quốc gia {country} không có ngôn ngữ nào trong các ngôn ngữ của văn bản ({languages})"
        ),
    },
    "recipients_not_language": {
        "en": "'{lang}' is not a language of the document ({languages})",
        "vi": "'{lang}' không phải ngôn ngữ của văn bản ({languages})",
    },
    "recipients_vi_missing": {
        "en": "the Vietnamese version needs its 'Nơi nhận' list (Decree 30); expected a list",
        "vi": "bản tiếng Việt cần danh sách 'Nơi nhận' (Nghị định 30); hãy ghi một danh sách",
    },
    "signing_before_conference": {
        "en": (
            "signing date {signing} is before the conference ({conference}); "
            "expected the conference day or later"
        ),
        "vi": (
            "ngày ký {signing} trước ngày hội nghị ({conference}); "
            "ngày ký phải từ ngày hội nghị trở về sau"
        ),
    },
    "agreement_after_conference": {
        "en": (
            "the agreement ({signed}) is signed after the conference that reviews it "
            "({conference}); expected an earlier date"
        ),
        "vi": (
            "giao ước ({signed}) được ký sau hội nghị sơ kết/tổng kết nó ({conference}); "
            "ngày ký giao ước phải sớm hơn"
        ),
    },
    "copies_uneven": {
        "en": (
            "{copies} copies cannot be shared equally among {parties} parties; "
            "expected a multiple of {parties}"
        ),
        "vi": "{copies} bản không chia đều được cho {parties} bên; cần một bội số của {parties}",
    },
    "parallel_languages": {
        "en": (
            "the parallel layout sets two languages side by side, this document has "
            "{count} ({languages}); use layout: sequential or keep two languages"
        ),
        "vi": (
            "bố cục song song đặt hai ngôn ngữ cạnh nhau, văn bản này có {count} "
            "({languages}); dùng layout: sequential hoặc chỉ giữ hai ngôn ngữ"
        ),
    },
    # --- images named by the content (images.py) -------------------------------------------
    "image_url": {
        "en": (
            "'{value}' is a URL; expected the path of a PNG or JPEG file in the content "
            "file's folder, e.g. chu-ky.png"
        ),
        "vi": (
            "'{value}' là một URL; cần đường dẫn đến một tệp PNG hoặc JPEG trong thư mục "
            "của tệp nội dung, ví dụ chu-ky.png"
        ),
    },
    "image_absolute": {
        "en": (
            "'{value}' is an absolute path; expected a path relative to the content file, "
            "e.g. chu-ky.png"
        ),
        "vi": (
            "'{value}' là đường dẫn tuyệt đối; cần đường dẫn tương đối so với tệp nội dung, "
            "ví dụ chu-ky.png"
        ),
    },
    "image_outside": {
        "en": (
            "'{value}' leads outside the content file's folder ({folder}); "
            "put the image in that folder"
        ),
        "vi": (
            "'{value}' trỏ ra ngoài thư mục của tệp nội dung ({folder}); hãy đặt ảnh vào thư mục đó"
        ),
    },
    "image_missing": {
        "en": "image '{value}' not found (looked for {path})",
        "vi": "không tìm thấy ảnh '{value}' (đã tìm {path})",
    },
    "image_not_file": {
        "en": "'{value}' is not a regular file; expected a PNG or JPEG file",
        "vi": "'{value}' không phải là một tệp thông thường; cần một tệp PNG hoặc JPEG",
    },
    "image_too_big": {
        "en": "the image file has {size} bytes, more than the limit of {limit}; scan it smaller",
        "vi": "tệp ảnh có {size} byte, vượt giới hạn {limit} byte; hãy quét ảnh nhỏ hơn",
    },
    "image_too_large": {
        "en": (
            "the image is {width}×{height} pixels, more than {limit} on a side; "
            "scan it at a lower resolution"
        ),
        "vi": (
            "ảnh có kích thước {width}×{height} điểm ảnh, vượt quá {limit} mỗi chiều; "
            "hãy quét với độ phân giải thấp hơn"
        ),
    },
    "image_type": {
        "en": "not a PNG or JPEG image (judged by its content, not its name); save it as PNG",
        "vi": (
            "không phải ảnh PNG hoặc JPEG (xét theo nội dung, không theo tên tệp); hãy lưu dạng PNG"
        ),
    },
    "image_broken": {
        "en": "the {kind} image cannot be read ({reason}); save it again",
        "vi": "không đọc được ảnh {kind} ({reason}); hãy lưu lại ảnh",
    },
    "registry_missing": {
        "en": "registry file '{name}' not found (looked for {path})",
        "vi": "không tìm thấy tệp sổ đăng ký '{name}' (đã tìm {path})",
    },
    # --- what is expected: short descriptions of a field's type -----------------------------
    "expect_text": {
        "en": "the text in each language, e.g. {{vi: …, km: …}}",
        "vi": "văn bản cho từng ngôn ngữ, ví dụ {{vi: …, km: …}}",
    },
    "expect_string": {"en": "text", "vi": "văn bản"},
    "expect_int": {"en": "a whole number such as 23", "vi": "một số nguyên, ví dụ 23"},
    "expect_date": {"en": "a date written YYYY-MM-DD", "vi": "một ngày dạng YYYY-MM-DD"},
    "expect_partial_date": {
        "en": "a day YYYY-MM-DD, a month YYYY-MM or a year YYYY",
        "vi": "ngày YYYY-MM-DD, tháng YYYY-MM hoặc năm YYYY",
    },
    "expect_id": {
        "en": "an id of lower-case letters, digits and '-', such as kien-giang",
        "vi": "một mã gồm chữ thường, chữ số và '-', ví dụ kien-giang",
    },
    "expect_lang": {
        "en": "a language code of 2–3 lower-case letters, such as vi or km",
        "vi": "một mã ngôn ngữ 2–3 chữ thường, ví dụ vi hoặc km",
    },
    "expect_country": {
        "en": "a two-letter country code in capitals, such as VN or KH",
        "vi": "mã quốc gia hai chữ in hoa, ví dụ VN hoặc KH",
    },
    "expect_list": {
        "en": "a list (lines starting with '- ')",
        "vi": "một danh sách (các dòng '- ')",
    },
    "expect_section": {"en": "keys such as {keys}", "vi": "các khóa như {keys}"},
    "expect_mapping": {"en": "keys and values", "vi": "các khóa và giá trị"},
    "expect_one_of": {"en": "one of {options}", "vi": "một trong {options}"},
    "expect_value": {"en": "a value", "vi": "một giá trị"},
    "kind_bool": {"en": "a yes/no value", "vi": "giá trị có/không"},
    "kind_number": {"en": "a number", "vi": "một số"},
    "kind_null": {"en": "nothing (an empty value)", "vi": "giá trị rỗng"},
    "kind_list": {"en": "a list", "vi": "một danh sách"},
    "kind_mapping": {"en": "keys and values", "vi": "các khóa và giá trị"},
    "kind_text": {"en": "a text", "vi": "một văn bản"},
    "id_party": {"en": "party", "vi": "bên"},
    "id_person": {"en": "person", "vi": "người"},
    "id_place": {"en": "place", "vi": "địa điểm"},
    # --- the command line (cli.py) ----------------------------------------------------------
    "cli_problems": {"en": "{count} problem(s)", "vi": "{count} lỗi"},
    "cli_nothing_written": {
        "en": "nothing written for {file}; earlier outputs are untouched",
        "vi": "không ghi tệp nào cho {file}; các tệp đã tạo trước đó vẫn giữ nguyên",
    },
    "cli_valid": {"en": "{file} is valid", "vi": "{file} hợp lệ"},
    "cli_up_to_date": {
        "en": "{file}: up to date, nothing changed since the last build (--force rebuilds)",
        "vi": "{file}: đã mới nhất, không có gì thay đổi từ lần dựng trước (--force để dựng lại)",
    },
    "cli_watching": {
        "en": "watching {file} and its templates; Ctrl-C stops",
        "vi": "đang theo dõi {file} và các mẫu của nó; nhấn Ctrl-C để dừng",
    },
    "cli_watch_stopped": {"en": "stopped watching", "vi": "đã dừng theo dõi"},
    "cli_valid_draft": {
        "en": "{file} is valid as a draft (missing translations are marked)",
        "vi": "{file} hợp lệ ở dạng bản nháp (các chỗ thiếu bản dịch được đánh dấu)",
    },
    "cli_draft_gaps": {
        "en": "draft: {count} missing translation(s) marked in the output",
        "vi": "bản nháp: đã đánh dấu {count} chỗ thiếu bản dịch trong tài liệu",
    },
    "cli_unknown_schema": {
        "en": "unknown schema '{what}': choose content or registry",
        "vi": "không có lược đồ '{what}': hãy chọn content hoặc registry",
    },
    # --- translate export/import (translate/) -------------------------------------------------
    "tr_bad_target": {
        "en": "cannot translate into '{lang}': the document's other languages are {languages}",
        "vi": "không thể dịch sang '{lang}': các ngôn ngữ khác của văn bản là {languages}",
    },
    "tr_one_language": {
        "en": "the document is only in '{lang}': there is nothing to translate",
        "vi": "văn bản chỉ có '{lang}': không có gì cần dịch",
    },
    "tr_state_broken": {
        "en": "the translation state file cannot be read ({reason}); delete it and export again",
        "vi": "không đọc được tệp trạng thái bản dịch ({reason}); hãy xóa tệp này rồi xuất lại",
    },
    "tr_too_large": {
        "en": (
            "the file is larger than {limit} bytes; this is not a translation of one content file"
        ),
        "vi": "tệp lớn hơn {limit} byte; đây không phải bản dịch của một tệp nội dung",
    },
    "tr_xml_broken": {
        "en": (
            "not a well-formed XLIFF file ({reason}); export it again from the translation "
            "tool, or send the original file back to the translator"
        ),
        "vi": (
            "tệp XLIFF bị hỏng ({reason}); hãy xuất lại từ công cụ dịch, hoặc gửi lại tệp "
            "gốc cho người dịch"
        ),
    },
    "tr_not_xliff": {
        "en": "not an XLIFF file (it starts with <{tag}>); give the .xlf or .docx file returned",
        "vi": "không phải tệp XLIFF (bắt đầu bằng <{tag}>); hãy chỉ tệp .xlf hoặc .docx đã dịch",
    },
    "tr_xliff_files": {
        "en": "the XLIFF holds {count} <file> parts; kbc-docs exports exactly one per content file",
        "vi": "tệp XLIFF có {count} phần <file>; kbc-docs chỉ xuất một phần cho mỗi tệp nội dung",
    },
    "tr_where_line": {"en": "line {line}", "vi": "dòng {line}"},
    "tr_where_row": {"en": "row {row}", "vi": "hàng {row}"},
    "tr_docx_broken": {
        "en": "not a readable Word file; save it again in Word as .docx and retry",
        "vi": "không đọc được tệp Word này; hãy lưu lại trong Word dạng .docx rồi thử lại",
    },
    "tr_docx_not_ours": {
        "en": (
            "this Word file is not a translation table made by 'kbc-docs translate export' "
            "(its properties or its table are missing); export a new table"
        ),
        "vi": (
            "tệp Word này không phải bảng dịch do 'kbc-docs translate export' tạo "
            "(thiếu thuộc tính hoặc bảng); hãy xuất bảng mới"
        ),
    },
    "tr_row_added": {
        "en": "table row {row} was added and holds text; put that text into the row it belongs to",
        "vi": "hàng {row} của bảng được thêm vào và có chữ; hãy chuyển chữ đó vào đúng hàng",
    },
    "tr_row_moved": {
        "en": (
            "the rows were moved or deleted: table row {row} should be number {expected} but is "
            "'{got}'; undo the change (or export a new table) and copy the translations back"
        ),
        "vi": (
            "các hàng đã bị di chuyển hoặc xóa: hàng {row} của bảng phải là số {expected} nhưng "
            "là '{got}'; hãy hoàn tác (hoặc xuất bảng mới) rồi chép lại bản dịch"
        ),
    },
    "tr_rows_missing": {
        "en": (
            "the table should have {expected} text rows but has {got}; rows were deleted — "
            "undo the deletion or export a new table"
        ),
        "vi": (
            "bảng phải có {expected} hàng văn bản nhưng chỉ có {got}; có hàng đã bị xóa — "
            "hãy hoàn tác hoặc xuất bảng mới"
        ),
    },
    "tr_other_file": {
        "en": "this translation was made for {made_for}, not {file}; import it into {made_for}",
        "vi": "bản dịch này làm cho {made_for}, không phải {file}; hãy nhập vào {made_for}",
    },
    "tr_other_source": {
        "en": (
            "the translation is from '{got}', but the content file's source language is "
            "'{expected}'"
        ),
        "vi": "bản dịch từ '{got}', nhưng ngôn ngữ nguồn của tệp nội dung là '{expected}'",
    },
    "tr_duplicate_unit": {
        "en": "the text {id} appears twice; export it again",
        "vi": "đoạn {id} xuất hiện hai lần; hãy xuất lại",
    },
    "tr_unit_gone": {
        "en": "this text is no longer in the content file; not imported",
        "vi": "đoạn này không còn trong tệp nội dung; không nhập",
    },
    "tr_source_changed": {
        "en": (
            "the Vietnamese changed after the export; not written — kept for review, "
            "export again to have it checked"
        ),
        "vi": (
            "tiếng Việt đã sửa sau khi xuất; chưa ghi — giữ lại để xem xét, hãy xuất lại "
            "để người dịch kiểm tra"
        ),
    },
    "tr_wrong_script": {
        "en": "the translation has no '{lang}' letters (wrong column or language?); not written",
        "vi": "bản dịch không có chữ '{lang}' (nhầm cột hoặc ngôn ngữ?); chưa ghi",
    },
    "tr_not_a_text": {
        "en": "{path} is not a text in the content file",
        "vi": "{path} không phải là một đoạn văn bản trong tệp nội dung",
    },
    "tr_merge_mismatch": {
        "en": "the merged file would differ from the intended edit; nothing written (a bug)",
        "vi": "tệp sau khi ghép khác với thay đổi dự định; không ghi gì (lỗi chương trình)",
    },
    "tr_result_invalid": {
        "en": (
            "the content file would be invalid after the import, so nothing was written: {reason}"
        ),
        "vi": "tệp nội dung sẽ không hợp lệ sau khi nhập nên không ghi gì: {reason}",
    },
    "tr_write_failed": {
        "en": "cannot write the file ({reason}); nothing was changed — check it may be written",
        "vi": "không ghi được tệp ({reason}); chưa thay đổi gì — hãy kiểm tra quyền ghi tệp",
    },
    "tr_unknown_format": {
        "en": (
            "neither an XLIFF nor a Word (.docx) file; a Word 97 .doc or a PDF cannot be "
            "read — save it in Word as .docx, or send back the .xlf the tool exported"
        ),
        "vi": (
            "không phải tệp XLIFF cũng không phải tệp Word (.docx); không đọc được tệp .doc "
            "Word 97 hay PDF — hãy lưu lại trong Word dạng .docx, hoặc gửi tệp .xlf công cụ xuất ra"
        ),
    },
    "tr_exported": {
        "en": "{count} text(s) to translate into '{lang}' ({missing} missing or changed)",
        "vi": "{count} đoạn cần dịch sang '{lang}' ({missing} đoạn thiếu hoặc đã sửa)",
    },
    "tr_nothing": {
        "en": "nothing to translate: every '{lang}' text is there and up to date",
        "vi": "không có gì cần dịch: mọi đoạn '{lang}' đã có và cập nhật",
    },
    "tr_report": {
        "en": (
            "{filled} filled, {changed} changed, {unchanged} unchanged, {empty} left empty, "
            "{review} for review"
        ),
        "vi": (
            "{filled} đoạn mới điền, {changed} đoạn thay đổi, {unchanged} giữ nguyên, {empty} để "
            "trống, {review} cần xem lại"
        ),
    },
    "tr_dry_run": {
        "en": "dry run: the content file was not changed",
        "vi": "chạy thử: tệp nội dung không bị thay đổi",
    },
    "tr_complete": {
        "en": "every '{lang}' text is in; build with: kbc-docs build {file}",
        "vi": "đã đủ mọi đoạn '{lang}'; tạo văn bản bằng: kbc-docs build {file}",
    },
    "tr_still_missing": {
        "en": (
            "{count} '{lang}' text(s) still missing; to send them: kbc-docs translate export "
            "{file} --to {lang} --only-missing"
        ),
        "vi": (
            "còn thiếu {count} đoạn '{lang}'; để gửi dịch: kbc-docs translate export {file} --to "
            "{lang} --only-missing"
        ),
    },
    "tr_hint": {
        "en": (
            "{count} '{lang}' translation(s) missing; for the translator run: kbc-docs translate "
            "export {file} --to {lang} --only-missing"
        ),
        "vi": (
            "thiếu {count} bản dịch '{lang}'; để gửi người dịch, chạy: kbc-docs translate export "
            "{file} --to {lang} --only-missing"
        ),
    },
}

GAP_MARKER = "⟦THIẾU BẢN DỊCH {lang}⟧"
"""Put in the output where a translation is missing (``--draft``): loud, and never real text."""

DRAFT_WORDS = {"vi": "BẢN NHÁP", "km": "សេចក្ដីព្រាង · DRAFT", "lo": "ຮ່າງ · DRAFT"}
"""The word "draft" per language, put before each version's title by ``--draft``."""


def language() -> Language:
    """The user's message language from the POSIX locale variables: ``vi`` or ``en``."""
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        if value:
            return "vi" if value.lower().startswith("vi") else "en"
    return "en"


def msg(message_id: str, **params: Any) -> str:
    """The message ``message_id`` in the user's language, with ``params`` filled in."""
    entry = CATALOG[message_id]
    return entry.get(language(), entry["en"]).format(**params)


def draft_title(lang: str) -> str:
    """The marker put before a version's title in a draft build, e.g. ``⟦BẢN NHÁP⟧``."""
    return f"⟦{DRAFT_WORDS.get(lang, 'DRAFT')}⟧"


YAML_PROBLEMS: dict[str, dict[Language, str]] = {
    "found character that cannot start any token": {
        "en": "found a character that cannot start any value",
        "vi": "gặp một ký tự không thể mở đầu giá trị",
    },
    "found a tab character that violates indentation": {
        "en": "found a tab character that breaks the indentation",
        "vi": "gặp ký tự Tab làm sai thụt lề",
    },
    "mapping values are not allowed in this context": {
        "en": "a 'key: value' is not allowed here (text containing ': ' must be in quotes)",
        "vi": "không được đặt 'khóa: giá trị' ở đây (văn bản có ': ' phải đặt trong ngoặc kép)",
    },
    "did not find expected node content": {
        "en": "a value is missing here",
        "vi": "thiếu một giá trị ở đây",
    },
    "did not find expected key": {
        "en": "expected a key here (is the indentation right?)",
        "vi": "cần một khóa ở đây (thụt lề có đúng không?)",
    },
    "could not find expected ':'": {
        "en": "could not find the expected ':' after a key",
        "vi": "không tìm thấy dấu ':' sau khóa",
    },
    "did not find expected ',' or ']'": {
        "en": "expected ',' or ']' in a [...] list",
        "vi": "thiếu ',' hoặc ']' trong danh sách [...]",
    },
    "did not find expected ',' or '}'": {
        "en": "expected ',' or '}' in a {...} mapping",
        "vi": "thiếu ',' hoặc '}' trong {...}",
    },
    "did not find expected '-' indicator": {
        "en": "expected a list item starting with '- ' (is the indentation right?)",
        "vi": "cần một mục danh sách bắt đầu bằng '- ' (thụt lề có đúng không?)",
    },
    "block sequence entries are not allowed in this context": {
        "en": "a list item '- ' is not allowed here (is the indentation right?)",
        "vi": "không được đặt mục danh sách '- ' ở đây (thụt lề có đúng không?)",
    },
    "found unexpected end of stream": {
        "en": "the file ends inside a quoted text (a closing quote is missing)",
        "vi": "tệp kết thúc giữa một văn bản trong ngoặc kép (thiếu dấu ngoặc đóng)",
    },
    "found undefined alias": {
        "en": "an alias (*name) refers to an anchor (&name) that is not defined before it",
        "vi": "bí danh (*tên) trỏ tới một neo (&tên) chưa được định nghĩa trước đó",
    },
    "but found another document": {
        "en": "the file holds more than one YAML document (remove the second '---')",
        "vi": "tệp chứa nhiều hơn một tài liệu YAML (hãy bỏ dòng '---' thứ hai)",
    },
    "found unknown escape character": {
        "en": "unknown escape (\\) in a double-quoted text; write \\\\ for a backslash",
        "vi": "ký tự thoát (\\) không hợp lệ trong ngoặc kép; viết \\\\ cho dấu gạch chéo ngược",
    },
    "found unexpected ':'": {
        "en": "found an unexpected ':' (put text containing ':' in quotes)",
        "vi": "gặp dấu ':' không đúng chỗ (văn bản có ':' phải đặt trong ngoặc kép)",
    },
}
"""The parser's most frequent complaints, reworded for people who do not know YAML's grammar."""


def yaml_problem(problem: str) -> str:
    """The parser's ``problem`` in the user's language when known, else as the parser said it."""
    key = re.sub(r"character '.*?' that", "character that", problem)  # PyYAML names it
    for known, entry in YAML_PROBLEMS.items():
        if key.startswith(known):
            return entry.get(language(), entry["en"])
    return problem
