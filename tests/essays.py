"""Content sets the tests write, unlike the shipped one: another topic and region, an unsigned
source, quotations by several speakers, lanes and tags of their own, no Korean."""
from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import yaml

REFS = ["p2"]


def water_set() -> dict[str, Any]:
    """An unsigned magazine piece on sharing a river's water between three countries."""
    people = [("mara-okafor", "Mara Okafor", "Chair of the basin commission"),
              ("tomas-lindqvist", "Tomás Lindqvist", "Hydrologist who led the 2019 survey"),
              ("ines-duarte", "Inês Duarte", "Minister of agriculture of the downstream state")]
    events = [("1911", "treaty", "First water treaty signed", "Three states agree shares for the dry season.", "law"),
              ("1998-06", "survey-one", "Basin survey begins", "Gauges go up along the main stem.", "science"),
              ("2019", "survey", "Survey finds flows down a fifth", "Ten years of data show lower flows.", "science"),
              ("2021-03", "drought", "Worst drought on record", "Reservoirs fall below a third.", "science"),
              ("2021-07", "quota", "Emergency quotas", "The commission cuts every state's share.", "law"),
              ("2021-09", "protest", "Farmers protest quotas", "Convoys block the border bridge.", "politics"),
              ("2022-02", "talks", "Talks on a new treaty open", "Delegations meet in the capital.", "politics"),
              ("2022-11", "dam", "Upstream dam completed", "A new reservoir holds back spring floods.", "law"),
              ("2023", "draft", "Draft treaty published", "It ties shares to measured flow.", "law"),
              ("2023-05-14", "vote", "Downstream parliament rejects draft", "A narrow vote sinks the text.",
               "politics")]
    return {
        "source": {"language": "en", "title": "Dividing a shrinking river", "institution": "The Harbour Review",
                   "place": "Lisbon", "series": "Briefing", "published": "March 2024",
                   "url": "https://example.org/review/river", "refs": ["p1"]},
        "summary": {
            "issued": datetime.date(2026, 11, 30), "headline": "A river treaty will hold only if shares follow the water",
            "subtitle": "Fixed quotas broke in the drought; flow-linked shares are the only design all three accept",
            "thesis": "Fixed water quotas cannot survive falling flows; a treaty tied to measured flow can.",
            "bottom_line": "Fixed shares failed when the river fell by a fifth. The draft ties shares to measured "
                           "flow, which downstream farmers distrust; a joint gauge network is the price of a deal.",
            "key_judgments": [{"lead": f"Judgment {n}", "text": f"The piece argues point {n} about the basin.",
                               "refs": REFS} for n in (1, 2, 3)],
            "brief_sections": ["why-quotas-failed", "what-a-deal-needs"], "brief_facts": ["flow", "farms", "gauges"],
            "factsheet": {"sections": ["why-quotas-failed", "what-a-deal-needs"],
                          "figures": ["flow", "farms", "gauges"], "chart_lane": "law",
                          "chart_title": "Treaty and quota decisions", "quotes": ["okafor", "lindqvist", "own"]},
            "refs": REFS},
        "arguments": {"groups": [
            {"id": "why-quotas-failed", "title": "Why fixed quotas failed", "gist": "They assumed a steady river.",
             "points": [{"text": "Quotas were set in a wet decade.", "refs": REFS},
                        {"text": "The drought cut flows below every quota's sum.", "refs": REFS}], "refs": REFS},
            {"id": "what-a-deal-needs", "title": "What a deal needs", "gist": "Shared measurement before shares.",
             "points": [{"text": "A joint gauge network all sides trust.", "refs": REFS},
                        {"text": "Shares that move with measured flow.", "refs": REFS}], "refs": REFS},
            {"id": "history", "title": "A century of treaties", "gist": "Each treaty followed a crisis.",
             "points": [{"text": "The 1911 treaty followed a famine.", "refs": REFS}], "refs": REFS}]},
        "timeline": {"title": "A century of sharing one river", "subtitle": "Treaties, surveys and the drought",
                     "lanes": [{"id": "law", "title": "Treaties and quotas"}, {"id": "science", "title": "Surveys"},
                               {"id": "politics", "title": "Politics"}],
                     "events": [{"id": key, "date": date, "title": title, "detail": detail, "lane": lane,
                                 "refs": REFS} for date, key, title, detail, lane in events]},
        "facts": {"facts": [{"id": "flow", "value": "−21%", "label": "river flow since 2009", "text": "Measured.",
                             "refs": REFS},
                            {"id": "farms", "value": "37bn", "label": "escudos of crops at stake", "text": "Estimate.",
                             "refs": REFS},
                            {"id": "gauges", "value": "14", "label": "gauges on the main stem", "text": "Counted.",
                             "refs": REFS}]},
        "people": {"people": [{"id": pid, "name": name, "role": role, "refs": REFS} for pid, name, role in people]},
        "glossary": {"terms": [{"id": "flow-linked", "term": "flow-linked share",
                                "definition": "A share set as a fraction of measured flow.", "refs": REFS},
                               {"id": "dry-season", "term": "dry season",
                                "definition": "The months when the river is lowest.", "refs": REFS}]},
        "quotes": {"quotes": [
            {"id": "okafor", "text": "We cannot share water we have not measured", "speaker": "Mara Okafor",
             "context": "On the gauge network", "refs": ["p3"]},
            {"id": "lindqvist", "text": "The river the treaty describes no longer exists", "speaker": "Tomás Lindqvist",
             "context": "On the survey", "refs": ["p4"]},
            {"id": "own", "text": "a treaty written for a wetter century", "context": "The piece's own phrase",
             "refs": ["p5"]}]},
        "implications": {"implications": [
            {"id": "gauges-first", "text": "Funding the gauge network may do more for a deal than any formula.",
             "tags": ["economy"], "refs": REFS},
            {"id": "farm-relief", "text": "Relief for downstream farmers could buy time for ratification.",
             "tags": ["general"], "refs": REFS}]},
    }


class _Dumper(yaml.SafeDumper):
    """Every value written out: content files refuse YAML anchors and aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False)


def write_set(project: Path, name: str, files: dict[str, Any]) -> Path:
    folder = project / "content" / name
    folder.mkdir(parents=True)
    for stem, data in files.items():
        (folder / f"{stem}.yaml").write_text(dump(data), encoding="utf-8")
    return folder
