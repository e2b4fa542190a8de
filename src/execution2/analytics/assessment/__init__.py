"""The management assessment core: the instrument, scoring and psychometrics (design.md 4.1).

- `instrument`: the instrument as data (YAML), parsed and checked.
- `psychometrics`: alpha with Feldt's interval, item-total correlations, omega, rwg and rwg(j).
- `scoring`: `score_cycle` over a whole cycle and `cycle_disclosure`, which applies the
  anonymity rules of `execution2.analytics.anonymity` to its groups.
"""
