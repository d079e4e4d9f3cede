"""Feeds a Hearth DSJSON export to Vowpal Wabbit (`--dsjson --cb_explore_adf`): every line must
parse into one shared example plus one per action (a line marked `_skipLearn`, an outcome never
observed, is skipped by VW), VW must learn from all the others, and it must then favour the
action the log rewarded. Prints a JSON summary; exits non-zero on failure.

Usage: python3 tests/vw/check_dsjson.py EXPORT.dsjson REWARDED_ITEM_ID
"""
import json
import sys

import vowpalwabbit


def main(path, rewarded_id):
    lines = [line for line in open(path, encoding="utf-8").read().split("\n") if line]
    # IPS uses the logged probabilities directly (what the export is for). VW's default (MTR)
    # regresses costs on all features and, on a log where one item is nearly always chosen,
    # extrapolates from the numeric features rather than from the item.
    ws = vowpalwabbit.Workspace("--cb_explore_adf --dsjson --quiet --epsilon 0.05 --cb_type ips")
    skipped = 0
    for number, line in enumerate(lines, 1):
        decision = json.loads(line)
        examples = ws.parse(line)
        if decision.get("_skipLearn"):
            if "_label_cost" in decision:
                raise SystemExit(f"line {number}: an unobserved outcome must carry no cost")
            skipped += 1
            ws.finish_example(examples)
            continue
        expected = 1 + len(decision["c"]["_multi"])
        if len(examples) != expected:
            raise SystemExit(f"line {number}: VW read {len(examples)} examples, expected {expected}")
        ws.learn(examples)
        ws.finish_example(examples)
    # Ask for a prediction on a decision whose rewarded item is not listed first.
    probe = next(
        json.loads(line) for line in reversed(lines)
        if not json.loads(line).get("_skipLearn")
        if any(f"id={rewarded_id}" in a["item"] for a in json.loads(line)["c"]["_multi"][1:])
    )
    rewarded_index = next(i for i, a in enumerate(probe["c"]["_multi"]) if f"id={rewarded_id}" in a["item"])
    examples = ws.parse(json.dumps(probe))
    pmf = ws.predict(examples)
    ws.finish_example(examples)
    best = max(range(len(pmf)), key=lambda i: pmf[i])
    summary = {"lines": len(lines), "skipped": skipped, "pmf": pmf, "rewardedIndex": rewarded_index, "best": best}
    print(json.dumps(summary))
    if best != rewarded_index:
        raise SystemExit("VW did not learn to favour the rewarded item")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
