"""Whole-deck checks the model cannot express: ids unique, translations that fit the deck, scales."""

from __future__ import annotations

from typing import Any

from stigmacards.deck.analysis import Analysis, Path_, Pos, make_problem
from stigmacards.i18n import _
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
                        _("duplicate card id '{id}' (first used at line {line})").format(
                            id=shown(cid), line=card_ids[cid][0]
                        ),
                        hint=_("every card needs its own id"),
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
                            _("duplicate reflection prompt id '{id}'").format(id=shown(pid)),
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
                    import difflib  # only for a translation naming an unknown card

                    close = difflib.get_close_matches(str(cid), list(card_ids), n=1)
                    add(
                        make_problem(
                            path_,
                            analysis.locate_key(("translations", lang, "cards", cid)),
                            "SC107",
                            _("translation '{lang}' names card '{id}', which the deck does not have").format(
                                lang=shown(lang), id=shown(cid)
                            ),
                            hint=_("did you mean '{key}'?").format(key=shown(close[0])) if close else "",
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
                            _(
                                "translation '{lang}' names reflection prompt '{id}', which the deck does not have"
                            ).format(lang=shown(lang), id=shown(pid)),
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
    where = _("translation '{lang}' of reflection prompt '{id}'").format(lang=shown(lang), id=shown(pid))

    def report(pos: Pos, message: str, hint: str = "") -> None:
        analysis.problems.append(make_problem(analysis.path, pos, "SC105", message, hint=hint))

    options, labels = pt.get("options"), pt.get("labels")
    # options (choice prompts) and labels (scale prompts) are checked alike, each with its own words.
    if isinstance(options, list):
        want = original.get("options")
        if kind != "choice":
            report(
                analysis.locate_key((*path, "options")),
                _("{where} has options, but the prompt is a {kind} prompt without options").format(
                    where=where, kind=shown(kind)
                ),
                _("remove 'options' here"),
            )
        elif isinstance(want, list) and len(options) != len(want):
            report(
                analysis.locate((*path, "options")),
                (
                    _("{where} has {n} option, the original has {m}")
                    if len(options) == 1
                    else _("{where} has {n} options, the original has {m}")
                ).format(where=where, n=len(options), m=len(want)),
            )
    if isinstance(labels, dict):
        lo, hi = original.get("min", 1), original.get("max", 5)
        if kind != "scale":
            report(
                analysis.locate_key((*path, "labels")),
                _("{where} has labels, but the prompt is a {kind} prompt without a scale").format(
                    where=where, kind=shown(kind)
                ),
                _("remove 'labels' here"),
            )
        elif isinstance(lo, int) and isinstance(hi, int):
            for key in labels:
                if isinstance(key, int) and not lo <= key <= hi:
                    report(
                        analysis.locate_key((*path, "labels", key)),
                        _("{where}: label {key} is outside the scale {lo}..{hi}").format(
                            where=where, key=key, lo=lo, hi=hi
                        ),
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
                    _("translation '{lang}' is in the deck's own language; its texts are never shown").format(
                        lang=shown(lang)
                    ),
                    hint=_("put these texts in the deck itself, or remove this translation"),
                )
            )
        elif lang.lower() in seen:
            first = seen[lang.lower()]
            analysis.problems.append(
                make_problem(
                    analysis.path,
                    pos,
                    "SC106",
                    _(
                        "translation '{lang}' repeats translation '{first}' (line {line}); language tags ignore case"
                    ).format(
                        lang=shown(lang),
                        first=shown(first),
                        line=analysis.locate_key(("translations", first))[0],
                    ),
                    hint=_("merge the two into one"),
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
                _(
                    "reflection prompt '{id}': scale needs min < max and at most 11 steps (got {lo}..{hi})"
                ).format(id=shown(prompt.get("id")), lo=lo, hi=hi),
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
                        _("reflection prompt '{id}': label {key} is outside the scale {lo}..{hi}").format(
                            id=shown(prompt.get("id")), key=key, lo=lo, hi=hi
                        ),
                    )
                )
