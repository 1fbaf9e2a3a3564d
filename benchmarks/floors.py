"""One line per figure against its floor, the same in every benchmark's summary."""
from __future__ import annotations


def against_floor(name: str, value: str, target: str, met: bool, share: float, unit: str, width: int = 34) -> str:
    """`  name   value   target ≤ 1.3×  met (0.95 of the floor)`; `share` is value ÷ floor."""
    return f"  {name:<{width}}{value:>9}   target {target:<8} {'met' if met else 'NOT met'} ({share:.2f} of the {unit})"
