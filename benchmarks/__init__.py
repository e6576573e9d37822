"""Measured performance figures. ``python -m benchmarks`` runs every ``bench_*.py`` module.

Each module has ``run() -> list[Figure]``; each figure prints as ``name: value (target) ok|MISS``.
Targets are ratios against a floor measured in the same run wherever the issue asks for one.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    name: str
    value: float
    target: float
    unit: str = ""  # "" for ratios, "ms", "MB", ...
    higher_is_better: bool = False

    @property
    def ok(self) -> bool:
        return self.value >= self.target if self.higher_is_better else self.value <= self.target

    def line(self) -> str:
        op = ">=" if self.higher_is_better else "<="
        unit = f" {self.unit}" if self.unit else ""
        return (
            f"{self.name}: {self.value:.3g}{unit} ({op} {self.target:g}{unit}) "
            f"{'ok' if self.ok else 'MISS'}"
        )
