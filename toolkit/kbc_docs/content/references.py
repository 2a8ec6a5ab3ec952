"""The registry ids a content file names: each one known, the parties' countries and
provinces consistent, and the sets of entries a document draws on."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from typing import Any

from kbc_docs.content import schema
from kbc_docs.content.load import Loaded
from kbc_docs.content.schema_errors import did_you_mean
from kbc_docs.errors import Problem
from kbc_docs.messages import msg
from kbc_docs.text.locale import Locale


def raw_used_ids(data: Any) -> dict[str, set[str]]:
    """The registry ids a content file names, read from raw YAML data (its structure may be
    wrong), so the registry's missing translations are reported in the same run."""
    data = data if isinstance(data, dict) else {}
    used: dict[str, list[Any]] = {"parties": [], "people": [], "places": []}
    parties = data.get("parties")
    for part in parties if isinstance(parties, list) else []:
        if not isinstance(part, dict):
            continue
        used["parties"].append(part.get("party"))
        for key in ("co_chairs", "attendees"):
            found = part.get(key)
            used["people"] += found if isinstance(found, list) else []
        signer = part.get("signer")
        if isinstance(signer, dict):
            used["people"].append(signer.get("person"))
    for section, key in (("signing", "place"), ("agreement", "signed_at")):
        value = data.get(section)
        if isinstance(value, dict):
            used["places"].append(value.get(key))
    return {kind: {i for i in ids if isinstance(i, str)} for kind, ids in used.items()}


def used_ids(content: schema.Content) -> dict[str, set[str]]:
    """The registry ids a content file names (facts to be completed name none)."""
    parties = {p.party for p in content.parties}
    people = {c for p in content.parties for c in (*p.co_chairs, *p.attendees)}
    people |= {p.signer.person for p in content.parties if p.signer}
    places = {content.signing.place}
    if content.agreement is not None:
        places.add(content.agreement.signed_at)
    return {
        "parties": parties,
        "people": {x for x in people if isinstance(x, str)},
        "places": {x for x in places if isinstance(x, str)},
    }


def printed_entries(
    content: schema.Content, registry: schema.Registry
) -> list[tuple[str, schema.Place | schema.Party | schema.Person]]:
    """The registry entries a build prints, as ``(kind.id, entry)`` in a fixed order: their
    texts are the ones a draft marks when a language is missing, and the ones the translator's
    export offers beside the content file's own (one list, so both count the same gaps)."""
    entries = []
    for kind, ids in used_ids(content).items():
        known = getattr(registry, kind)
        entries += [(f"{kind}.{i}", known[i]) for i in sorted(ids) if i in known]
    return entries


def used_entries(content: schema.Content, registry: schema.Registry) -> dict[str, set[str]]:
    """The registry entries a document draws on, including each party's province."""
    used = used_ids(content)
    used["places"] |= {registry.parties[p].province for p in used["parties"]}
    return used


def _unknown(loaded: Loaded, path: str, kind: str, value: str, known: dict[str, Any]) -> Problem:
    found = difflib.get_close_matches(value, sorted(known), n=1)
    what = msg(f"id_{kind}")
    if found:
        return loaded.problem(path, msg("unknown_id_hint", kind=what, value=value, hint=found[0]))
    listed = ", ".join(sorted(known))
    return loaded.problem(path, msg("unknown_id", kind=what, value=value, known=listed))


def _party_references(
    loaded: Loaded, content: schema.Content, registry: schema.Registry
) -> list[Problem]:
    problems = []
    seen: set[str] = set()
    for i, part in enumerate(content.parties):
        if part.party in seen:
            problems.append(
                loaded.problem(f"parties[{i}].party", msg("listed_twice", value=part.party))
            )
        seen.add(part.party)
        if part.party not in registry.parties:
            problems.append(
                _unknown(loaded, f"parties[{i}].party", "party", part.party, registry.parties)
            )
        people = [(f"co_chairs[{j}]", c) for j, c in enumerate(part.co_chairs)]
        people += [(f"attendees[{j}]", a) for j, a in enumerate(part.attendees)]
        if part.signer is not None:
            people.append(("signer.person", part.signer.person))
        for sub, person in people:
            if isinstance(person, str) and person not in registry.people:
                problems.append(
                    _unknown(loaded, f"parties[{i}].{sub}", "person", person, registry.people)
                )
    host = content.conference.host
    if host is not None and host not in seen:
        parties = [p.party for p in content.parties]
        message = msg("host_not_party", host=host, parties=", ".join(parties))
        problems.append(loaded.problem("conference.host", message + did_you_mean(host, parties)))
    return problems


def reference_problems(
    loaded: Loaded,
    reg_loaded: Loaded,
    content: schema.Content,
    registry: schema.Registry,
    locales: dict[str, Locale],
) -> list[Problem]:
    problems = _party_references(loaded, content, registry)
    places = [("signing.place", content.signing.place)]
    if content.agreement is not None:
        places.insert(0, ("agreement.signed_at", content.agreement.signed_at))
    for path, place in places:
        if isinstance(place, str) and place not in registry.places:
            problems.append(_unknown(loaded, path, "place", place, registry.places))
    countries = {loc.data.country: lang for lang, loc in locales.items()}
    langs = ", ".join(locales)
    for party_id in dict.fromkeys(p.party for p in content.parties):
        party = registry.parties.get(party_id)
        if party is None:
            continue
        if party.country not in countries and len(locales) == len(set(content.document.languages)):
            message = msg("country_no_language", country=party.country, languages=langs)
            problems.append(reg_loaded.problem(f"parties.{party_id}.country", message))
        if party.format == "party" and party.country != "VN":
            message = msg("party_format_country", country=party.country)
            problems.append(reg_loaded.problem(f"parties.{party_id}.format", message))
        if party.province not in registry.places:
            path = f"parties.{party_id}.province"
            problems.append(_unknown(reg_loaded, path, "place", party.province, registry.places))
    for lang in content.recipients:
        if lang not in locales:
            message = msg("recipients_not_language", lang=lang, languages=langs)
            problems.append(loaded.problem(f"recipients.{lang}", message))
    if "vi" in locales and not content.recipients.get("vi"):
        problems.append(loaded.problem("recipients.vi", msg("recipients_vi_missing")))
    return problems


def registry_excerpt(registry_text: str, used: Mapping[str, Iterable[str]]) -> str:
    """The registry entries a document used, cut verbatim from the registry file's text.

    ``used`` maps a top-level section (``parties``, ``people``, ``places``) to entry ids. The
    excerpt is itself a valid registry file (comments between entries are left out): attached
    to the PDF, it shows exactly which names and titles the document was made from, without
    publishing every other party's entries.
    """
    wanted = {section: set(ids) for section, ids in used.items()}
    lines = registry_text.splitlines(keepends=True)
    out: list[str] = []
    section: str | None = None
    keep = False
    for line in lines:
        top = re.match(r"^([A-Za-z_][\w-]*):", line)
        entry = re.match(r"^  ([A-Za-z0-9_][\w.-]*):", line)
        if top:
            section = top.group(1)
            keep = False
            if section in wanted:
                out.append(line)
        elif entry:
            keep = section in wanted and entry.group(1) in wanted[section]
            if keep:
                out.append(line)
        elif keep and (line.startswith("   ") or not line.strip()):
            out.append(line)
        elif not line.strip() or line.lstrip().startswith("#"):
            continue
    return "".join(out).rstrip("\n") + "\n"
