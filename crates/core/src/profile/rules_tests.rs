//! Tests of [`super::rules`]: parsing, the errors that name the rule, and matching.
// Compiled only under `#[cfg(test)]`: the parent module includes this file with a
// `#[cfg(test)] mod` line.

use super::rules::*;
use super::windows::DAY_MS;
use super::{Metric, Profile, ProfileConfig};
use crate::event::{Event, Item, ReferrerClass};
use crate::time::Millis;
use crate::value::from_json;

fn parse(json: &str) -> Result<Rules, RulesError> {
    Rules::parse(from_json(json))
}

fn refused(json: &str) -> RulesError {
    parse(json).unwrap_err()
}

#[test]
fn valid_rules_are_read_in_definition_order() {
    let rules = parse(
        r#"[{"name":"sports-fan","all":[{"metric":"affinity:sports","op":"gte","value":2}]},
            {"name":"busy","any":[{"metric":"clicks","window":"7d","op":"gt","value":10},
                                  {"metric":"engagement","op":"gte","value":40}]}]"#,
    )
    .unwrap();
    let names: Vec<&str> = rules.rules().iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["sports-fan", "busy"]);
    let first = &rules.rules()[0];
    assert!(first.all);
    assert_eq!(
        first.conditions[0].metric,
        Metric::Affinity("sports".into())
    );
    assert_eq!(first.conditions[0].op, Op::Gte);
    assert!(!rules.rules()[1].all);
    assert_eq!(parse("null"), Ok(Rules::default()));
}

#[test]
fn an_unknown_metric_is_refused_naming_the_rule_and_the_path() {
    let error = refused(
        r#"[{"name":"ok","all":[{"metric":"clicks","window":"1d","op":"gt","value":0}]},
            {"name":"fans","all":[{"metric":"likes","op":"gt","value":1}]}]"#,
    );
    assert_eq!(
        (error.index, error.name.as_deref()),
        (Some(1), Some("fans"))
    );
    assert_eq!(error.error.path, "rules[1].all[0].metric");
    assert!(error
        .to_string()
        .starts_with("rule 1 ('fans'): rules[1].all[0].metric: unknown metric"));
    assert_eq!(error.code(), "invalid_rules");
}

#[test]
fn a_bad_op_is_refused_with_the_choices() {
    let error = refused(r#"[{"name":"a","any":[{"metric":"engagement","op":">=","value":1}]}]"#);
    assert_eq!(error.error.path, "rules[0].any[0].op");
    assert!(error.error.reason.contains("'gte'"), "{error}");
}

#[test]
fn a_missing_name_is_refused_as_an_unnamed_rule() {
    let error = refused(r#"[{"all":[{"metric":"engagement","op":"gt","value":1}]}]"#);
    assert_eq!((error.index, error.name.clone()), (Some(0), None));
    assert_eq!(error.error.path, "rules[0].name");
    assert!(
        error
            .to_string()
            .starts_with("rule 0 (unnamed): rules[0].name"),
        "{error}"
    );
}

#[test]
fn a_duplicate_or_reserved_or_malformed_name_is_refused() {
    let rule = |name: &str| {
        format!(r#"{{"name":"{name}","all":[{{"metric":"engagement","op":"gt","value":1}}]}}"#)
    };
    let error = refused(&format!("[{},{}]", rule("x"), rule("x")));
    assert_eq!(
        (error.index, error.error.path.as_str()),
        (Some(1), "rules[1].name")
    );
    assert!(error.error.reason.contains("earlier rule"));
    for name in ["new", "cluster:a", "a b", ""] {
        let error = refused(&format!("[{}]", rule(name)));
        assert_eq!(error.error.path, "rules[0].name", "{name}");
    }
}

#[test]
fn both_all_and_any_or_neither_or_none_are_refused() {
    let condition = r#"{"metric":"engagement","op":"gt","value":1}"#;
    let both = format!(r#"[{{"name":"b","all":[{condition}],"any":[{condition}]}}]"#);
    let error = refused(&both);
    assert_eq!(
        (error.name.as_deref(), error.error.path.as_str()),
        (Some("b"), "rules[0].any")
    );
    assert_eq!(refused(r#"[{"name":"n"}]"#).error.path, "rules[0].all");
    assert_eq!(
        refused(r#"[{"name":"e","all":[]}]"#).error.path,
        "rules[0].all"
    );
}

#[test]
fn other_mistakes_are_refused_with_their_path() {
    for (bad, path) in [
        (r#"{"name":"x"}"#, "rules"),
        (
            r#"[{"name":"x","all":[{"metric":"clicks","op":"gt","value":1}]}]"#,
            "rules[0].all[0].window",
        ),
        (
            r#"[{"name":"x","all":[{"metric":"clicks","window":"1d","op":"gt","value":"1"}]}]"#,
            "rules[0].all[0].value",
        ),
        (
            r#"[{"name":"x","all":[{"metric":"engagement","op":"gt","value":1,"weight":2}]}]"#,
            "rules[0].all[0].weight",
        ),
        (r#"[{"name":"x","every":[]}]"#, "rules[0].every"),
    ] {
        assert_eq!(refused(bad).error.path, path, "{bad}");
    }
}

#[test]
fn rules_match_on_all_or_any_and_never_on_a_metric_without_a_value() {
    let rules = parse(
        r#"[{"name":"sports","all":[{"metric":"affinity:sports","op":"gte","value":1},
                                    {"metric":"clicks","window":"30d","op":"eq","value":1}]},
            {"name":"feed-clicker","any":[{"metric":"ctr:feed","op":"gte","value":0.5}]},
            {"name":"lapsed","any":[{"metric":"recencyDays","op":"gt","value":3}]}]"#,
    )
    .unwrap();
    let mut profile = Profile::new(ProfileConfig::default());
    let now = Millis(200 * DAY_MS);
    let matching =
        |p: &Profile, at| -> Vec<String> { rules.matching(p, at).map(str::to_owned).collect() };
    assert!(matching(&profile, now).is_empty());
    let item = Item::new("a", ["sports"], Some("home")).unwrap();
    profile.apply(&Event::item_click(now, item), now);
    assert_eq!(matching(&profile, now), ["sports"]);
    profile.apply(&Event::page_view(now, "/", ReferrerClass::Direct), now);
    assert_eq!(matching(&profile, Millis(now.0 + 4 * DAY_MS)), ["lapsed"]);
}
