"""axe-core in the browser tests: inject the vendored engine into a page, run the WCAG 2.1 A/AA
rules (and axe's best practices, landmarks among them), keep what is serious or critical.

The engine is a test asset (`tests/web/vendor/`, from the npm package `axe-core`, MPL-2.0): the
product never serves it. Playwright evaluates it through the DevTools protocol, which the
page's Content-Security-Policy does not govern.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

AXE_VERSION = "4.14.1"
AXE_SOURCE = Path(__file__).parent / "vendor" / f"axe-{AXE_VERSION}.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
# The rules whose outcome depends on colours: all a second colour scheme can change.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]
FAILING_IMPACTS = ("serious", "critical")
NODES_SHOWN = 5

# Runs in the page: axe's result reduced to what a person fixing it needs to read.
_RUN = """async ({tags, rules, impacts, shown}) => {
  const result = await axe.run(document, {
    runOnly: rules ? {type: "rule", values: rules} : {type: "tag", values: tags},
    resultTypes: ["violations"],
  });
  return result.violations
    .filter((v) => impacts.includes(v.impact))
    .map((v) => ({
      rule: v.id,
      impact: v.impact,
      help: v.help,
      count: v.nodes.length,
      nodes: v.nodes.slice(0, shown).map((n) => ({
        target: n.target.join(" "),
        html: n.html.slice(0, 160),
        summary: (n.failureSummary || "").split("\\n").slice(0, 3).join(" "),
      })),
    }));
}"""


@functools.cache
def _axe_source() -> str:
    return AXE_SOURCE.read_text(encoding="utf-8")


@dataclass(frozen=True)
class Violation:
    where: str  # e.g. "admin, dark: /o/demo/plan/"
    rule: str
    impact: str
    help: str
    count: int
    nodes: tuple[dict[str, str], ...]

    def describe(self) -> str:
        lines = [f"{self.where}: {self.rule} ({self.impact}, {self.count} nodes) {self.help}"]
        for node in self.nodes:
            lines.append(f"    {node['target']}: {node['summary']}")
            lines.append(f"      {node['html']}")
        if self.count > len(self.nodes):
            lines.append(f"    … and {self.count - len(self.nodes)} more")
        return "\n".join(lines)


def axe_violations(page: Any, where: str, *, colours_only: bool = False) -> list[Violation]:
    """The serious and critical violations on the page as it is now (`colours_only`: of the
    rules that depend on colours alone, for checking the same page in another colour scheme)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    found = page.evaluate(
        _RUN,
        {
            "tags": AXE_TAGS,
            "rules": COLOUR_RULES if colours_only else None,
            "impacts": list(FAILING_IMPACTS),
            "shown": NODES_SHOWN,
        },
    )
    return [
        Violation(
            where=where,
            rule=item["rule"],
            impact=item["impact"],
            help=item["help"],
            count=item["count"],
            nodes=tuple(item["nodes"]),
        )
        for item in found
    ]


def report(violations: list[Violation]) -> str:
    rules = sorted({v.rule for v in violations})
    pages = sorted({v.where for v in violations})
    head = f"{len(violations)} serious/critical axe violations of {rules} on {len(pages)} pages:"
    return "\n".join([head, *(v.describe() for v in violations)])
