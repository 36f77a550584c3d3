//! Reading the charts' SVG as a reader sees it.

/// Every text of an SVG document, as shown (plotters writes each text's
/// content twice, with line breaks around it: the first copy is kept).
pub fn texts(svg: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).expect("the SVG is well formed");
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.descendants().filter_map(|d| d.text()).collect::<String>())
        .map(|t| t.trim().lines().next().unwrap_or("").to_string())
        .collect()
}
