//! A bar written as the worst settlement a party would still accept: the
//! textbook's reservation prices give the textbook's zone and Nash point.

use std::path::Path;

use zopa::sim;

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
