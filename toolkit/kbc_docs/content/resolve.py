"""Join the content file with the registry entries it names.

After :mod:`kbc_docs.content.check` has checked every reference, this turns ids into the objects
they name, so the view model never looks anything up by string or handles a missing entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kbc_docs.content.schema import Content, Participation, Party, Person, Registry, Text


@dataclass(frozen=True)
class ResolvedParty:
    """A party's registry entry together with its part in this conference."""

    id: str
    party: Party
    part: Participation
    language: str  # the language of the party's country, e.g. "km" for KH
    resolved: Resolved = field(repr=False, compare=False)


@dataclass
class Resolved:
    """Validated content with every reference followed."""

    slug: str
    content: Content
    registry: Registry
    country_language: dict[str, str]  # "VN" → "vi", from the language files
    parties: list[ResolvedParty] = field(default_factory=list)
    # party id → signer image field ("signature_image", "seal_image") → the checked bytes
    images: dict[str, dict[str, bytes]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.parties = [
            ResolvedParty(
                id=part.party,
                party=self.registry.parties[part.party],
                part=part,
                language=self.country_language.get(self.registry.parties[part.party].country, ""),
                resolved=self,
            )
            for part in self.content.parties
        ]

    @property
    def places(self) -> dict[str, Text]:
        return {pid: place.name for pid, place in self.registry.places.items()}

    @property
    def people(self) -> dict[str, Person]:
        return self.registry.people

    def party(self, party_id: str) -> ResolvedParty:
        return next(p for p in self.parties if p.id == party_id)

    def in_alternat_order(self, lang: str) -> list[ResolvedParty]:
        """Parties of the version's own language first, then the others in file order.

        The *alternat*: each language version names its own side first and has it sign on the
        left, whoever hosts.
        """
        own = [p for p in self.parties if p.language == lang]
        return own + [p for p in self.parties if p.language != lang]
