"""The one-line takeaway above each chart, generated from the chart's own data: what a leader
should read off it without studying the axes. One function per chart family; each returns None
when the data say nothing (the page then shows no sentence rather than a sentence with gaps).

Pure text from frames the views already returned: no query, so a sentence can never state a
figure other than the one drawn below it."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from data_access.db.catalogue import PARITY_BAND
from data_access.domain.formats import RATIO_DECIMAL_PLACES, num, pct
from data_access.domain.periods import period_label


def _present(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    return frame[pd.to_numeric(frame[column], errors="coerce").notna()] if len(frame) else frame


def _change(points: float | None, earlier: str) -> str:
    """'tăng 1,3 điểm % so với năm 2024' / 'không đổi so với …'."""
    if points is None or pd.isna(points):
        return ""
    size = num(abs(points), 1)
    if size == num(0, 1):
        return f", không đổi so với {earlier}"
    return f", {'tăng' if points > 0 else 'giảm'} {size} điểm % so với {earlier}"


def share_trend(
    latest: pd.Series,
    previous: pd.Series | None,
    labels: Mapping[str, str],
    comparable: Mapping[str, float | None] | None = None,
) -> str | None:
    """Female shares by pair over the periods (the overview's trend): the first pair's share at
    the latest period with its change, and the pair where women are fewest.
    `labels`: pair → label, in the chart's order. `comparable`: pair → the change on the units
    that reported in both periods (queries.comparison); when given, the sentence states that
    change, as the KPIs do, rather than the difference of two populations."""
    shares = {
        pair: latest[f"{pair}_female_pct"]
        for pair in labels
        if pd.notna(latest.get(f"{pair}_female_pct"))
    }
    if not shares:
        return None
    first, *_ = shares
    period = period_label(str(latest["period"]))
    points = (
        None
        if previous is None or pd.isna(previous.get(f"{first}_female_pct"))
        else float(latest[f"{first}_female_pct"] - previous[f"{first}_female_pct"])
    )
    if comparable is not None:
        points = comparable.get(first)
    earlier = period_label(str(previous["period"])).lower() if previous is not None else ""
    change = _change(points, earlier)
    if comparable is not None and change:
        change += " (trên cùng đơn vị)"
    text = f"{period}: nữ chiếm {pct(shares[first])} {labels[first]}{change}"
    lowest = min(shares, key=lambda p: shares[p])
    if lowest != first:
        text += f"; thấp nhất: {labels[lowest]} ({pct(shares[lowest])})"
    return text + "."


def share_bars(frame: pd.DataFrame, name: str, value: str, what: str) -> str | None:
    """Female share by agency or province (horizontal bars): highest, lowest, and how many lie
    in the parity band. `what`: the measure in words, e.g. 'trong CCVC, người lao động'."""
    shown = _present(frame, value)
    if shown.empty:
        return None
    ranked = shown.sort_values(value, ascending=False)
    top, bottom = ranked.iloc[0], ranked.iloc[-1]
    if len(ranked) == 1:
        return f"Tỷ lệ nữ {what}: {top[name]} {pct(top[value])}."
    low, high = PARITY_BAND
    balanced = int(ranked[value].between(low, high).sum())
    return (
        f"Tỷ lệ nữ {what} cao nhất ở {top[name]} ({pct(top[value])}), "
        f"thấp nhất ở {bottom[name]} ({pct(bottom[value])}); "
        f"{num(balanced)}/{num(len(ranked))} trong vùng cân bằng {num(low)}–{pct(high, 0)}."
    )


def pipeline(frame: pd.DataFrame) -> str | None:
    """The leadership pipeline (label, female_pct, drop): the share at the first and the last
    step, and the step where it falls most."""
    shown = _present(frame, "female_pct").reset_index(drop=True)
    if shown.empty:
        return None
    first, last = shown.iloc[0], shown.iloc[-1]
    text = f"Nữ chiếm {pct(first['female_pct'])} {first['label']}"
    if len(shown) > 1:
        joint = "nhưng chỉ" if last["female_pct"] < first["female_pct"] else "và"
        text += f" {joint} {pct(last['female_pct'])} {last['label']}"
    drops = pd.to_numeric(shown["female_pct"]).diff()
    if drops.notna().any() and drops.min() < 0:
        worst = shown.iloc[int(drops.idxmin())]
        text += f"; giảm nhiều nhất khi lên {worst['label']} ({num(-drops.min(), 1)} điểm %)"
    return text + "."


def sex_stacked(frame: pd.DataFrame, name: str, female: str, male: str, what: str) -> str | None:
    """Women and men by category (stacked counts): the category with the most, its count and
    men's share there. `what`: the counted thing, e.g. 'lượt người tham gia'."""
    if frame.empty:
        return None
    totals = frame[female].fillna(0) + frame[male].fillna(0)
    if totals.sum() <= 0:
        return None
    top = frame.loc[totals.idxmax()]
    total = float(totals.max())
    men = 100 * float(top[male] or 0) / total
    return (
        f"{top[name]} có nhiều {what} nhất: {num(total)}, trong đó nam giới chiếm {pct(men)}; "
        f"tổng cộng {num(float(totals.sum()))} {what}."
    )


def representation(frame: pd.DataFrame) -> str | None:
    """Representation ratios (label, female_pct, representation): the measure where women are
    least represented against their share of staff."""
    shown = _present(frame, "representation")
    if shown.empty:
        return None
    low = shown.loc[pd.to_numeric(shown["representation"]).idxmin()]
    below = int((pd.to_numeric(shown["representation"]) < 1).sum())
    return (
        f"Phụ nữ ít được đại diện nhất ở {low['label']}: hệ số {num(low['representation'], RATIO_DECIMAL_PLACES)} "
        f"(nữ chiếm {pct(low['female_pct'])}); {num(below)}/{num(len(shown))} chỉ tiêu dưới 1,0."
    )


def province_map(frame: pd.DataFrame, what: str) -> str | None:
    """One value per province (the map): the highest, the lowest and the gap between them."""
    shown = _present(frame, "value")
    if shown.empty:
        return None
    ranked = shown.sort_values("value", ascending=False)
    top, bottom = ranked.iloc[0], ranked.iloc[-1]
    if len(ranked) == 1:
        return f"{what}: {top['province_name']} {pct(top['value'])}."
    return (
        f"{what} cao nhất ở {top['province_name']} ({pct(top['value'])}), thấp nhất ở "
        f"{bottom['province_name']} ({pct(bottom['value'])}), "
        f"chênh {num(top['value'] - bottom['value'], 1)} điểm %."
    )


def index_ranking(frame: pd.DataFrame, name: str) -> str | None:
    """The gender-equality index ranking (rank, index): the first and the last ranked."""
    shown = _present(frame, "index").sort_values("index", ascending=False)
    if shown.empty:
        return None
    top, bottom = shown.iloc[0], shown.iloc[-1]
    if len(shown) == 1:
        return f"{top[name]}: {num(top['index'], 1)} điểm."
    return (
        f"Dẫn đầu: {top[name]} ({num(top['index'], 1)} điểm); cuối bảng: {bottom[name]} "
        f"({num(bottom['index'], 1)} điểm) trên thang 1–100."
    )
