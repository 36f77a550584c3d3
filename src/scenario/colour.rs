//! Whether the parties' colours stay apart for every reader: two parties
//! whose colours look alike to a reader with protanopia or deuteranopia
//! (or to anyone) are found and a colour from Okabe and Ito's palette that
//! stays apart from every other party's is named instead. The file's
//! colours are the author's choice (Russia red, Ukraine yellow) and are
//! drawn as written; a clash is a warning `zopa validate` prints, not an
//! error.

use crate::model::Scenario;

/// How far apart two colours must be in CIE L*a*b* (1976) to be told apart
/// at a glance; the charts' own palette keeps at least this much.
pub const APART: f64 = 15.0;

/// Okabe and Ito's palette, as the charts order it (`chart::PALETTE`),
/// without its green: that is the zone's colour.
pub const OKABE_ITO: [[u8; 3]; 7] = [
    [0, 114, 178],
    [213, 94, 0],
    [204, 121, 167],
    [230, 159, 0],
    [86, 180, 233],
    [0, 0, 0],
    [240, 228, 66],
];

/// A way of seeing colours: full-severity simulations of Machado, Oliveira
/// and Fernandes (2009), applied to linear RGB.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vision {
    Normal,
    Protanopia,
    Deuteranopia,
}

impl Vision {
    pub const ALL: [Vision; 3] = [Vision::Normal, Vision::Protanopia, Vision::Deuteranopia];

    pub fn name(self) -> &'static str {
        match self {
            Vision::Normal => "normal colour vision",
            Vision::Protanopia => "protanopia",
            Vision::Deuteranopia => "deuteranopia",
        }
    }

    fn matrix(self) -> [[f64; 3]; 3] {
        match self {
            Vision::Normal => [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]],
            Vision::Protanopia => [
                [0.152286, 1.052583, -0.204868],
                [0.114503, 0.786281, 0.099216],
                [-0.003882, -0.048116, 1.051998],
            ],
            Vision::Deuteranopia => [
                [0.367322, 0.860646, -0.227968],
                [0.280085, 0.672501, 0.047413],
                [-0.011820, 0.042940, 0.968881],
            ],
        }
    }
}

/// CIE L*a*b* of an sRGB colour as a reader with `vision` sees it.
fn lab(c: [u8; 3], vision: Vision) -> [f64; 3] {
    let lin = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    let rgb = c.map(lin);
    let [r, g, b] = vision
        .matrix()
        .map(|row| (0..3).map(|k| row[k] * rgb[k]).sum::<f64>().clamp(0.0, 1.0));
    let x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
    let y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    let z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
    let f = |t: f64| {
        if t > 0.008856 {
            t.cbrt()
        } else {
            7.787 * t + 16.0 / 116.0
        }
    };
    [
        116.0 * f(y) - 16.0,
        500.0 * (f(x) - f(y)),
        200.0 * (f(y) - f(z)),
    ]
}

/// How far apart two colours look to a reader with `vision`, in L*a*b*.
pub fn distance(a: [u8; 3], b: [u8; 3], vision: Vision) -> f64 {
    let (a, b) = (lab(a, vision), lab(b, vision));
    (0..3).map(|k| (a[k] - b[k]).powi(2)).sum::<f64>().sqrt()
}

/// The least distance between two colours over every vision, and the
/// vision that sees it.
pub fn closest(a: [u8; 3], b: [u8; 3]) -> (f64, Vision) {
    Vision::ALL
        .iter()
        .map(|&v| (distance(a, b, v), v))
        .min_by(|x, y| x.0.total_cmp(&y.0))
        .unwrap_or((f64::INFINITY, Vision::Normal))
}

/// Two parties whose colours look alike.
#[derive(Debug, Clone, PartialEq)]
pub struct Clash {
    pub first: usize,
    /// The later party in the file: the one whose colour to change.
    pub second: usize,
    pub vision: Vision,
    pub distance: f64,
    /// A palette colour apart from every other party's, if one is.
    pub instead: Option<[u8; 3]>,
}

impl Clash {
    pub fn message(&self, sc: &Scenario) -> String {
        let (a, b) = (&sc.parties[self.first], &sc.parties[self.second]);
        let fix = match self.instead {
            Some(c) => format!(
                "set the `colour` of `{}` to e.g. \"{}\" (Okabe-Ito)",
                b.id,
                hex(c)
            ),
            None => format!("give `{}` a colour further from the others", b.id),
        };
        format!(
            "the colours of `{}` ({}) and `{}` ({}) look alike to a reader with {}: {:.1} apart in CIE L*a*b*, where {APART} tells colours apart at a glance; {fix}",
            a.id,
            hex(a.colour),
            b.id,
            hex(b.colour),
            self.vision.name(),
            self.distance,
        )
    }
}

/// Where the file `text` writes the `colour` of party `id`: its 1-based
/// line and column, for a warning that points at the value to change.
pub fn colour_at(text: &str, id: &str) -> Option<(usize, usize)> {
    #[derive(serde::Deserialize)]
    struct File {
        parties: Vec<Party>,
    }
    #[derive(serde::Deserialize)]
    struct Party {
        id: String,
        colour: toml::Spanned<String>,
    }
    let file: File = toml::from_str(text).ok()?;
    let party = file.parties.into_iter().find(|p| p.id == id)?;
    Some(super::diagnostic::line_col(text, party.colour.span().start))
}

/// "#0072b2".
pub fn hex(c: [u8; 3]) -> String {
    format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2])
}

/// Every pair of parties whose colours come closer than [`APART`] for some
/// vision, in file order.
pub fn clashes(sc: &Scenario) -> Vec<Clash> {
    let colours: Vec<[u8; 3]> = sc.parties.iter().map(|p| p.colour).collect();
    let mut out = Vec::new();
    for j in 0..colours.len() {
        for i in 0..j {
            let (d, vision) = closest(colours[i], colours[j]);
            if d >= APART {
                continue;
            }
            let apart_from_others = |c: [u8; 3]| {
                (0..colours.len())
                    .filter(|&k| k != j)
                    .all(|k| closest(c, colours[k]).0 >= APART)
            };
            out.push(Clash {
                first: i,
                second: j,
                vision,
                distance: d,
                instead: OKABE_ITO.into_iter().find(|&c| apart_from_others(c)),
            });
        }
    }
    out
}
