//! The textbook scenario grown to many issues and parties, for the tests
//! of the limits on both and of the work a job may ask for.

/// The textbook (`scenarios/textbook.toml`) with `issues` issues (the price
/// and more from 0 to 1, which every party wants at 0.5) and `parties`
/// parties (the seller, the buyer and more buyers).
pub fn crowded(textbook: &str, issues: usize, parties: usize) -> String {
    let extra: Vec<String> = (1..issues).map(|k| format!("extra{k}")).collect();
    let tables: String = (extra.iter())
        .map(|id| format!("[[issues]]\nid = \"{id}\"\nlabel = \"{id}\"\nmin = 0\nmax = 1\n\n"))
        .collect();
    let wants: String = extra.iter().map(|id| format!(", {id} = 0.5")).collect();
    let buyers: String = (2..parties)
        .map(|i| {
            format!(
                "[[parties]]\nid = \"buyer{i}\"\nname = \"Buyer {i}\"\ncolour = \"#{:06x}\"\n\
                 archetype = \"sustained_pressure\"\nveto = true\nreservation = 0.3\n\
                 ideal = {{ price = 0{wants} }}\n\n",
                i * 0x060504
            )
        })
        .collect();
    let once = |text: String, from: &str, to: &str| {
        assert!(text.contains(from), "`{from}` not in the textbook scenario");
        text.replacen(from, to, 1)
    };
    let text = once(
        textbook.to_string(),
        "[[parties]]",
        &format!("{tables}[[parties]]"),
    );
    let seller = format!("ideal = {{ price = 10{wants} }}");
    let text = once(text, "ideal = { price = 10 }", &seller);
    let buyer = format!("ideal = {{ price = 0{wants} }}");
    let text = once(text, "ideal = { price = 0 }", &buyer);
    once(text, "[world]", &format!("{buyers}[world]"))
}
