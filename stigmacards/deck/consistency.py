"""Whole-deck checks the model cannot express: ids unique, translations that fit the deck, scales."""

from __future__ import annotations

import difflib
from typing import Any

from stigmacards.deck.analysis import Analysis, Path_, Pos, make_problem
from stigmacards.text import shown


def check_whole_deck(analysis: Analysis, data: dict[str, Any]) -> None:
    add = analysis.problems.append
    path_ = analysis.path
    cards = data.get("cards")
    card_ids: dict[str, Pos] = {}
    if isinstance(cards, list):
        for i, card in enumerate(cards):
            cid = card.get("id") if isinstance(card, dict) else None
            if not isinstance(cid, str):
                continue
            pos = analysis.locate(("cards", i, "id"))
            if cid in card_ids:
                add(
                    make_problem(
                        path_,
                        pos,
                        "SC106",
                        f"duplicate card id '{shown(cid)}' (first used at line {card_ids[cid][0]})",
                        hint="every card needs its own id",
                    )
                )
            else:
                card_ids[cid] = pos
    prompts: dict[str, dict[str, Any]] = {}
    reflection = data.get("reflection")
    if isinstance(reflection, list):
        for i, prompt in enumerate(reflection):
            if not isinstance(prompt, dict):
                continue
            pid = prompt.get("id")
            if isinstance(pid, str):
                if pid in prompts:
                    add(
                        make_problem(
                            path_,
                            analysis.locate(("reflection", i, "id")),
                            "SC106",
                            f"duplicate reflection prompt id '{shown(pid)}'",
                        )
                    )
                else:
                    prompts[pid] = prompt
            if prompt.get("kind") == "scale":
                _check_scale(analysis, prompt, ("reflection", i))
    translations = data.get("translations")
    if not isinstance(translations, dict):
        return
    _check_translation_tags(analysis, data.get("language"), translations)
    for lang, tr in translations.items():
        if not isinstance(tr, dict):
            continue
        tcards = tr.get("cards")
        if isinstance(tcards, dict):
            for cid in tcards:
                if cid not in card_ids and isinstance(cards, list):
                    close = difflib.get_close_matches(str(cid), list(card_ids), n=1)
                    add(
                        make_problem(
                            path_,
                            analysis.locate_key(("translations", lang, "cards", cid)),
                            "SC107",
                            f"translation '{shown(lang)}' names card '{shown(cid)}', which the deck does not have",
                            hint=f"did you mean '{shown(close[0])}'?" if close else "",
                        )
                    )
        trefl = tr.get("reflection")
        if isinstance(trefl, dict):
            for pid, pt in trefl.items():
                if pid not in prompts:
                    add(
                        make_problem(
                            path_,
                            analysis.locate_key(("translations", lang, "reflection", pid)),
                            "SC107",
                            f"translation '{shown(lang)}' names reflection prompt '{shown(pid)}', which the deck does not have",
                        )
                    )
                    continue
                original = prompts[pid]
                if isinstance(pt, dict):
                    _check_prompt_translation(
                        analysis, original, pt, ("translations", lang, "reflection", pid)
                    )


def _check_prompt_translation(
    analysis: Analysis, original: dict[str, Any], pt: dict[str, Any], path: Path_
) -> None:
    """Options and labels of a translated prompt must fit the original, or nobody sees them."""
    lang, pid, kind = path[1], path[3], original.get("kind")
    where = f"translation '{shown(lang)}' of reflection prompt '{shown(pid)}'"
    options, labels = pt.get("options"), pt.get("labels")
    if isinstance(options, list):
        want = original.get("options")
        if kind != "choice":
            analysis.problems.append(
                make_problem(
                    analysis.path,
                    analysis.locate_key((*path, "options")),
                    "SC105",
                    f"{where} has options, but the prompt is a {shown(kind)} prompt without options",
                    hint="remove 'options' here",
                )
            )
        elif isinstance(want, list) and len(options) != len(want):
            analysis.problems.append(
                make_problem(
                    analysis.path,
                    analysis.locate((*path, "options")),
                    "SC105",
                    f"{where} has {len(options)} option{'s' if len(options) != 1 else ''}, the original has {len(want)}",
                )
            )
    if isinstance(labels, dict):
        lo, hi = original.get("min", 1), original.get("max", 5)
        if kind != "scale":
            analysis.problems.append(
                make_problem(
                    analysis.path,
                    analysis.locate_key((*path, "labels")),
                    "SC105",
                    f"{where} has labels, but the prompt is a {shown(kind)} prompt without a scale",
                    hint="remove 'labels' here",
                )
            )
        elif isinstance(lo, int) and isinstance(hi, int):
            for key in labels:
                if isinstance(key, int) and not lo <= key <= hi:
                    analysis.problems.append(
                        make_problem(
                            analysis.path,
                            analysis.locate_key((*path, "labels", key)),
                            "SC105",
                            f"{where}: label {key} is outside the scale {lo}..{hi}",
                        )
                    )


def _check_translation_tags(analysis: Analysis, own: Any, translations: dict[Any, Any]) -> None:
    """A translation nobody would ever see: in the deck's own language, or a tag given twice."""
    seen: dict[str, str] = {}
    for lang in translations:
        if not isinstance(lang, str):
            continue
        pos = analysis.locate_key(("translations", lang))
        if isinstance(own, str) and lang.lower() == own.lower():
            analysis.problems.append(
                make_problem(
                    analysis.path,
                    pos,
                    "SC105",
                    f"translation '{shown(lang)}' is in the deck's own language; its texts are never shown",
                    hint="put these texts in the deck itself, or remove this translation",
                )
            )
        elif lang.lower() in seen:
            first = seen[lang.lower()]
            analysis.problems.append(
                make_problem(
                    analysis.path,
                    pos,
                    "SC106",
                    f"translation '{shown(lang)}' repeats translation '{shown(first)}' "
                    f"(line {analysis.locate_key(('translations', first))[0]}); language tags ignore case",
                    hint="merge the two into one",
                )
            )
        else:
            seen[lang.lower()] = lang


def _check_scale(analysis: Analysis, prompt: dict[str, Any], path: Path_) -> None:
    lo, hi = prompt.get("min", 1), prompt.get("max", 5)
    if not (isinstance(lo, int) and isinstance(hi, int)):
        return
    if lo >= hi or hi - lo > 10:
        analysis.problems.append(
            make_problem(
                analysis.path,
                analysis.locate((*path, "max")),
                "SC105",
                f"reflection prompt '{shown(prompt.get('id'))}': scale needs min < max and at most 11 steps (got {lo}..{hi})",
            )
        )
        return
    labels = prompt.get("labels")
    if isinstance(labels, dict):
        for key in labels:
            if isinstance(key, int) and not lo <= key <= hi:
                analysis.problems.append(
                    make_problem(
                        analysis.path,
                        analysis.locate_key((*path, "labels", key)),
                        "SC105",
                        f"reflection prompt '{shown(prompt.get('id'))}': label {key} is outside the scale {lo}..{hi}",
                    )
                )
