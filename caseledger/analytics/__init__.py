"""Macro-level quality analysis without rankings (seed 001): indicators, funnel plots, trends,
data-integrity tests.

Owns the statistics that compare units with what chance alone would produce. It must never
produce an order of units by an indicator: no rank, percentile or "top/bottom N" exists in any
output, and lists of units are ordered by their code.
"""
