"""The demo's story: which corner of the synthetic company shows which problem (issue 7).

The demo's Execution Index dashboard should read as a story an executive recognises: a strong
plan, a marketing trap, one siloed function and a weak delegation culture in one division.
Each generator plants its part; the names live here so the generators agree:

- **the marketing trap** (`synth.plan`): one initiative run by Marketing alone;
- **one siloed function** (`synth.network`): Finance keeps its collaboration to itself.
  Not Marketing: it already carries the trap, and the two risks would then name the same
  function and read as one problem ("Marketing is cut off") when they are two: the trap is
  how one initiative was staffed, a silo is how a whole function works every day. Finance is a
  core function, so it exists at every size of company;
- **a weak delegation culture in one division** (`synth.assessment` and `synth.plan`):
  Operations' managers score low on delegation in the survey, and their assignments match:
  fewer instructions and due dates, slower acknowledgement, more work late. Operations is a
  large core function (about an eighth of the company): large enough to pull the
  organization's delegation score down to a top priority and to have managers to name, not so
  large (like Engineering) that it drowns every other signal, and distinct from the trap and
  the silo, so each risk points at a different place;
- **a strong plan**: buy-in near the target of 75 (`synth.assessment`), and delivery on time
  and on schedule outside the weak division (`synth.plan`).
"""

from __future__ import annotations

TRAP_FUNCTION = "Marketing"
SILOED_FUNCTION = "Finance"
WEAK_DELEGATION_FUNCTION = "Operations"


def function_of(unit_path: str) -> str:
    """The top-level unit (the function, or division) of a unit path."""
    return unit_path.split(" / ")[0]
