"""What a brief shows of a content set for an audience, chosen by the roles and tags the content
declares, never by the content's ids (but for a set's own audiences.yaml).

Templates read the choice as `selection`. When an audience asks for something the set does not
have (no implication with a wanted tag, no talking points, no key terms, no argument group with a
wanted role), the selection falls back to what the set does have, so the page stays complete, and
says so in `notes`: the build prints them and the manifest records them.
"""
from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from typing import Any

KEY_TERMS_FALLBACK = 4  # glossary entries a brief defines when the set names no key terms
MOST_GROUPS = {"points": 3, "gist": 5}  # argument groups chosen by role that fit a one-page brief


class Selection:
    """Computed on first use, from the localized content (a ContentReads: what is read is noted)
    and the audience's localized profile."""

    def __init__(self, content: Mapping[str, Any], audience: Mapping[str, Any], tag_labels: Mapping[str, str]):
        self.content, self.emphasis, self.tag_labels = content, audience["emphasis"], tag_labels
        self.notes: list[str] = []

    def _note(self, field: str, message: str) -> None:
        text = f"{field}: {message}"
        if text not in self.notes:
            self.notes.append(text)

    @cached_property
    def argument_groups(self) -> list[dict[str, Any]]:
        """The argument groups the brief features, in the essay's order of choice."""
        ids, roles = self.emphasis["argument_groups"], self.emphasis["argument_roles"]
        if ids is None and roles == [] and not (self.emphasis["talking_points"] and not self.talking_points):
            return []  # none wanted (and the content's arguments are not read)
        groups = self.content["arguments"]["groups"]
        by_id = {group["id"]: group for group in groups}
        chosen = self.content["summary"]["brief_sections"]
        if ids is not None:
            missing = [name for name in ids if name not in by_id]
            if not missing:
                return [by_id[name] for name in ids]
            self._note("emphasis.argument_groups", f"the set has no argument group {', '.join(missing)}; "
                                                   "showing the set's own choice (summary.yaml brief_sections)")
        elif roles:
            matched = [group for group in groups if group.get("role") in roles]
            most = MOST_GROUPS[self.emphasis["argument_detail"]]
            if len(matched) > most:
                left = ", ".join(group["id"] for group in matched[most:])
                self._note("emphasis.argument_roles", f"{len(matched)} argument groups have the role "
                                                      f"{' or '.join(roles)}, more than the brief holds: it shows "
                                                      f"the first {most} and leaves out {left} (choose the groups "
                                                      "for this set in its audiences.yaml: emphasis.argument_groups)")
            if matched:
                return matched[:most]
            self._note("emphasis.argument_roles", f"no argument group has the role {' or '.join(roles)}; showing "
                                                  "the set's own choice (summary.yaml brief_sections)")
        return [by_id[name] for name in chosen]

    @cached_property
    def talking_points(self) -> list[dict[str, Any]]:
        wanted = self.emphasis["talking_points"]
        points = self.content["implications"]["talking_points"][:wanted]
        if wanted and not points:
            self._note("talking_points", "the set has none (implications.yaml talking_points); the brief shows "
                                         "the argument in their place")
        return list(points)

    @cached_property
    def implications(self) -> list[dict[str, Any]]:
        wanted, tags = self.emphasis["implications"], self.emphasis["implication_tags"]
        every = self.content["implications"]["implications"]
        if not wanted:
            return []
        if tags is None:
            return list(every[:wanted])
        # The profile lists its tags in order of preference: those with the first tag come first
        # (then in the content's order), so a cap never drops the items written for this reader.
        rank = {tag: position for position, tag in enumerate(tags)}
        matched = sorted((item for item in every if set(item.get("tags", ())) & set(tags)),
                         key=lambda item: min(rank[tag] for tag in item["tags"] if tag in rank))
        if matched:
            return matched[:wanted]
        general = [item for item in every if "general" in item.get("tags", ())]
        self._note("emphasis.implication_tags", f"no implication is tagged {' or '.join(tags)}; showing "
                                                f"{'those for any reader' if general else 'all'} instead")
        return (general or list(every))[:wanted]

    @cached_property
    def implications_tag(self) -> str | None:
        """What the implications shown are for, when the audience asked for one tag and got it."""
        tags = self.emphasis["implication_tags"]
        if tags and len(tags) == 1 and all(tags[0] in item.get("tags", ()) for item in self.implications):
            return self.tag_labels.get(tags[0])
        return None

    @cached_property
    def key_terms(self) -> list[dict[str, Any]]:
        if not self.emphasis["key_terms"]:
            return []
        terms = self.content["glossary"]["terms"]
        by_id = {term["id"]: term for term in terms}
        named = [by_id[name] for name in self.content["summary"]["key_terms"] if name in by_id]
        if named:
            return named
        self._note("summary.key_terms", "the set names no key terms; the brief defines the glossary's first "
                                        f"{min(len(terms), KEY_TERMS_FALLBACK)}" if terms else
                   "the set names no key terms and has no glossary")
        return list(terms[:KEY_TERMS_FALLBACK])

    @cached_property
    def quotes(self) -> list[dict[str, Any]]:
        """The fact sheet's quotations, each with who it is by ("by"), the source's own first."""
        by_id = {quote["id"]: quote for quote in self.content["quotes"]["quotes"]}
        chosen = [by_id[name] for name in self.content["summary"]["factsheet"]["quotes"] if name in by_id]
        source = self.content["source"]
        own = source["author"]["name"] if source["author"] else source["institution"]
        return [{**quote, "by": quote["speaker"] or own, "own": quote["speaker"] in (None, own)} for quote in chosen]

