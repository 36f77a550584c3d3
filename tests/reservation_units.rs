//! A bar written as the worst settlement a party would still accept: the
//! textbook's reservation prices give the textbook's zone and Nash point.

use std::path::Path;

use zopa::sim;
use zopa::text::{BarMet, bar_settlement};

/// A buyer whose reservation price is `buyer`, a seller whose is `seller`,
/// on a price between 0 and 200; nothing moves.
fn sale(buyer: &str, seller: &str) -> String {
    format!(
        r##"
[scenario]
name = "sale"
title = "Sale"
description = "Reservation prices."
source = ""

[time]
steps = 3
step_unit = "round"

[[issues]]
id = "price"
label = "Price"
unit = "EUR"
min = 0
max = 200

[[parties]]
id = "seller"
name = "Seller"
colour = "#0072b2"
archetype = "sustained_pressure"
reservation = {seller}
ideal = {{ price = 200 }}

[[parties]]
id = "buyer"
name = "Buyer"
colour = "#cc79a7"
archetype = "sustained_pressure"
reservation = {buyer}
ideal = {{ price = 0 }}

[world]
front_issue = "price"

[mediator]
perception_noise = 0
"##
    )
}

fn load(text: String) -> zopa::model::Scenario {
    zopa::scenario::parse(Path::new("sale.toml"), text).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn reservation_prices_120_and_100_give_zone_100_to_120_and_nash_110() {
    let sc = load(sale("{ price = 120 }", "{ price = 100 }"));
    // Bars by hand: the seller's U = p / 200 at p = 100, the buyer's
    // U = 1 - p / 200 at p = 120.
    assert!((sc.parties[0].reservation - 0.5).abs() < 1e-12);
    assert!((sc.parties[1].reservation - 0.4).abs() < 1e-12);
    let s = &sim::run(&sc, 1).steps[0];
    let z = s.extent_on(0).expect("a zone");
    assert!((z.low - 100.0).abs() < 1e-6, "{z:?}");
    assert!((z.high - 120.0).abs() < 1e-6, "{z:?}");
    assert!(s.point_is_nash);
    assert!((s.point[0] - 110.0).abs() < 1e-6, "{:?}", s.point);
}

#[test]
fn a_settlement_and_its_utility_are_the_same_bar() {
    let as_price = load(sale("{ price = 150 }", "{ price = 30 }"));
    let as_utility = load(sale("0.25", "0.15"));
    for (a, b) in as_price.parties.iter().zip(&as_utility.parties) {
        assert!((a.reservation - b.reservation).abs() < 1e-12, "{}", a.id);
    }
}

#[test]
fn an_issue_not_named_in_the_settlement_stays_at_the_party_ideal() {
    let text = sale("{ price = 120 }", "{ price = 100 }")
        .replace(
            "[[parties]]\nid = \"seller\"",
            "[[issues]]\nid = \"warranty\"\nlabel = \"Warranty\"\nunit = \"months\"\nmin = 0\nmax = 24\n\n[[parties]]\nid = \"seller\"",
        )
        .replace("ideal = {{ price = 200 }}", "")
        .replace(
            "ideal = { price = 200 }",
            "ideal = { price = 200, warranty = 0 }\nweights = { price = 0.5, warranty = 0.5 }",
        )
        .replace(
            "ideal = { price = 0 }",
            "ideal = { price = 0, warranty = 24 }\nweights = { price = 0.5, warranty = 0.5 }",
        );
    let sc = load(text);
    // Half the weight on price: the seller loses 0.5 * (200 - 100) / 200.
    assert!((sc.parties[0].reservation - 0.75).abs() < 1e-12);
    assert!((sc.parties[1].reservation - 0.7).abs() < 1e-12);
}

/// Which settlements meet party `p`'s bar `bar`, at its ideal as written.
fn met(sc: &zopa::model::Scenario, p: usize, bar: f64) -> BarMet {
    let ideal = &sc.parties[p].ideal[..sc.issues.len()];
    bar_settlement(sc, p, bar, ideal)
        .expect("a weighted issue")
        .meets
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn a_bar_said_in_units_is_the_settlement_that_wrote_it() {
    for x in [10, 60, 100, 150, 190] {
        let sc = load(sale(
            &format!("{{ price = {x} }}"),
            &format!("{{ price = {x} }}"),
        ));
        let x = f64::from(x);
        // The seller (ideal 200) is met from its price up; the buyer
        // (ideal 0) up to its price.
        match met(&sc, 0, sc.parties[0].reservation) {
            BarMet::AtLeast(v) => assert!(close(v, x), "seller {v} for {x}"),
            other => panic!("seller {other:?} for {x}"),
        }
        match met(&sc, 1, sc.parties[1].reservation) {
            BarMet::AtMost(v) => assert!(close(v, x), "buyer {v} for {x}"),
            other => panic!("buyer {other:?} for {x}"),
        }
    }
}

#[test]
fn a_bar_in_units_covers_both_sides_of_an_ideal_inside_the_range() {
    let sc = load(sale("0.75", "0.5").replace("ideal = { price = 0 }", "ideal = { price = 80 }"));
    // |p - 80| / 200 <= 1 - 0.75: p in [30, 130].
    match met(&sc, 1, 0.75) {
        BarMet::Between(lo, hi) => assert!(close(lo, 30.0) && close(hi, 130.0), "{lo} {hi}"),
        other => panic!("{other:?}"),
    }
    // A bar of 0.4 reaches 120 either side of 80: past 0 and up to 200,
    // the whole range.
    assert_eq!(met(&sc, 1, 0.4), BarMet::Any);
    assert!(matches!(met(&sc, 1, 1.0), BarMet::Only(v) if close(v, 80.0)));
    assert_eq!(met(&sc, 1, 1.01), BarMet::None);
    let s = zopa::text::bar_aside(&sc, 1, 0.75, &[80.0]);
    assert_eq!(s, " (met by price between 30.00 EUR and 130.00 EUR)");
}

#[test]
fn a_bar_in_units_holds_the_other_issues_at_the_ideal_and_says_so() {
    let text = sale("{ price = 120 }", "{ price = 100 }")
        .replace(
            "[[parties]]\nid = \"seller\"",
            "[[issues]]\nid = \"warranty\"\nlabel = \"Warranty\"\nunit = \"months\"\nmin = 0\nmax = 24\n\n[[parties]]\nid = \"seller\"",
        )
        .replace(
            "ideal = { price = 200 }",
            "ideal = { price = 200, warranty = 0 }\nweights = { price = 0.5, warranty = 0.5 }",
        )
        .replace(
            "ideal = { price = 0 }",
            "ideal = { price = 0, warranty = 24 }\nweights = { price = 0, warranty = 1 }",
        );
    let sc = load(text);
    let bar = sc.parties[0].reservation;
    assert!(matches!(met(&sc, 0, bar), BarMet::AtLeast(v) if close(v, 100.0)));
    assert_eq!(
        zopa::text::bar_aside(&sc, 0, bar, &[200.0, 0.0]),
        " (met by price of at least 100.00 EUR, other issues at its ideal)"
    );
    // The buyer gives price no weight: its bar is said on warranty, the
    // issue it weighs, (1 - r) * 24 months below its ideal of 24.
    let b = bar_settlement(&sc, 1, 0.75, &[0.0, 24.0]).unwrap();
    assert_eq!(b.issue, 1);
    assert!(
        matches!(b.meets, BarMet::AtLeast(v) if close(v, 18.0)),
        "{b:?}"
    );
}
