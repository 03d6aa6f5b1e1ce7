//! Render tests across all chart kinds.

use super::sample::sample_input;
use super::*;

const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];

fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert!(bytes.len() > 24);
    assert_eq!(&bytes[..8], &PNG_SIGNATURE);
    assert_eq!(&bytes[12..16], b"IHDR");
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    (be(&bytes[16..20]), be(&bytes[20..24]))
}

/// Nominal size from the SVG root element.
fn svg_size(svg: &str) -> (u32, u32) {
    let tree = raster::parse(svg).unwrap();
    let s = tree.size();
    (s.width().round() as u32, s.height().round() as u32)
}

/// The sample with only the organisation, one shown and the suppressed
/// department: every chart kind, few files (rasterising is the slow part).
fn small_input(language: Language) -> ChartInput {
    let mut input = sample_input(language);
    let keep: Vec<GroupScores> = input
        .groups
        .iter()
        .enumerate()
        .filter(|(i, g)| *i <= 1 || g.suppressed)
        .map(|(_, g)| g.clone())
        .collect();
    input.groups = keep;
    input
}

fn svg(kind: ChartKind, input: &ChartInput) -> Vec<ChartFile> {
    render(
        kind,
        input,
        &RenderOptions {
            format: ImageFormat::Svg,
            scale: 1.0,
        },
    )
    .unwrap()
}

#[test]
fn file_names_per_kind() {
    let input = sample_input(Language::De);
    let names = |k| -> Vec<String> { svg(k, &input).into_iter().map(|f| f.name).collect() };
    let radar = names(ChartKind::Radar);
    assert_eq!(radar.len(), 10, "organisation + 9 shown departments");
    assert_eq!(radar[0], "radar-organisation.svg");
    assert!(radar.contains(&"radar-strassenverkehrsamt.svg".to_string()));
    assert!(radar.contains(&"radar-personal-und-organisationsamt.svg".to_string()));
    assert_eq!(names(ChartKind::Bars).len(), 10);
    assert_eq!(names(ChartKind::Heatmap), vec!["heatmap.svg"]);
    let likert = names(ChartKind::Likert);
    assert_eq!(likert.len(), 8);
    assert_eq!(likert[0], "likert-services.svg");
    assert_eq!(names(ChartKind::Roadmap), vec!["roadmap.svg"]);
    assert_eq!(names(ChartKind::Trend), vec!["trend.svg"]);
    for k in ChartKind::all() {
        for n in names(k) {
            let stem = n.trim_end_matches(".svg");
            assert!(
                stem.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{n}"
            );
        }
    }
}

#[test]
fn png_signature_and_dimensions() {
    let input = small_input(Language::De);
    for kind in ChartKind::all() {
        let svgs = svg(kind, &input);
        assert!(!svgs.is_empty(), "{kind}");
        let scales: &[f32] = match kind {
            ChartKind::Likert => &[1.0],
            _ => &[1.0, 2.0],
        };
        for &scale in scales {
            let opts = RenderOptions {
                format: ImageFormat::Png,
                scale,
            };
            let pngs = render(kind, &input, &opts).unwrap();
            assert_eq!(pngs.len(), svgs.len());
            for (p, s) in pngs.iter().zip(&svgs) {
                assert_eq!(
                    p.name.trim_end_matches(".png"),
                    s.name.trim_end_matches(".svg")
                );
                let (w, h) = svg_size(std::str::from_utf8(&s.bytes).unwrap());
                let expect = (
                    (w as f32 * scale).round() as u32,
                    (h as f32 * scale).round() as u32,
                );
                assert_eq!(png_size(&p.bytes), expect, "{}", p.name);
                if kind != ChartKind::Likert && kind != ChartKind::Heatmap {
                    assert_eq!((w, h), (1600, 1000), "{}", p.name);
                }
            }
        }
    }
}

#[test]
fn every_svg_parses() {
    for lang in [Language::De, Language::En] {
        let input = sample_input(lang);
        for kind in ChartKind::all() {
            for f in svg(kind, &input) {
                let text = std::str::from_utf8(&f.bytes).unwrap();
                let tree = resvg::usvg::Tree::from_str(text, &resvg::usvg::Options::default());
                assert!(tree.is_ok(), "{}", f.name);
                assert!(raster::parse(text).is_ok(), "{}", f.name);
            }
        }
    }
}

#[test]
fn renders_are_byte_identical() {
    let input = small_input(Language::De);
    for kind in ChartKind::all() {
        for format in [ImageFormat::Svg, ImageFormat::Png] {
            let opts = RenderOptions { format, scale: 1.0 };
            let a = render(kind, &input, &opts).unwrap();
            let b = render(kind, &input.clone(), &opts).unwrap();
            assert_eq!(a, b, "{kind}");
        }
    }
}

#[test]
fn suppressed_department_never_appears() {
    for lang in [Language::De, Language::En] {
        let input = sample_input(lang);
        let hidden = input
            .groups
            .iter()
            .find(|g| g.suppressed)
            .map(|g| g.name.clone())
            .unwrap();
        for kind in ChartKind::all() {
            for f in svg(kind, &input) {
                assert!(!f.name.contains(&slug(&hidden)), "{}", f.name);
                let text = String::from_utf8(f.bytes).unwrap();
                assert!(!text.contains(&hidden), "{} shows {hidden}", f.name);
            }
        }
    }
}

#[test]
fn german_and_english_words() {
    let de = sample_input(Language::De);
    let en = sample_input(Language::En);
    let text = |kind, input: &ChartInput| -> String {
        svg(kind, input)
            .into_iter()
            .map(|f| String::from_utf8(f.bytes).unwrap())
            .collect()
    };
    assert!(text(ChartKind::Roadmap, &de).contains("Lücke"));
    assert!(text(ChartKind::Roadmap, &en).contains("gap"));
    assert!(text(ChartKind::Heatmap, &de).contains("61,0"));
    assert!(text(ChartKind::Heatmap, &en).contains("61.0"));
    assert!(text(ChartKind::Likert, &de).contains("weiß nicht"));
    assert!(text(ChartKind::Likert, &en).contains("don&apos;t know"));
    assert!(text(ChartKind::Bars, &de).contains("Straßenverkehrsamt"));
}

fn empty_input() -> ChartInput {
    ChartInput {
        language: Language::De,
        organisation: String::new(),
        levels: Vec::new(),
        areas: Vec::new(),
        groups: Vec::new(),
        questions: Vec::new(),
        trend: None,
    }
}

#[test]
fn degenerate_inputs_do_not_panic() {
    let png = RenderOptions::default();
    // nothing at all
    for kind in ChartKind::all() {
        assert!(
            render(kind, &empty_input(), &png).unwrap().is_empty(),
            "{kind}"
        );
    }
    // everything suppressed
    let mut input = sample_input(Language::De);
    for g in &mut input.groups {
        g.suppressed = true;
        g.overall = None;
        g.respondents = None;
        g.areas.iter_mut().for_each(|a| *a = None);
    }
    for kind in [ChartKind::Radar, ChartKind::Bars, ChartKind::Heatmap] {
        assert!(render(kind, &input, &png).unwrap().is_empty(), "{kind}");
    }
    // roadmap without organisation scores still lists the targets
    assert_eq!(render(ChartKind::Roadmap, &input, &png).unwrap().len(), 1);

    // NaN, infinities, out-of-range values, mismatched lengths, odd levels
    let mut input = small_input(Language::En);
    input.levels = vec![
        LevelDef {
            min: 50.0,
            name: "B".into(),
        },
        LevelDef {
            min: f64::NAN,
            name: "nan".into(),
        },
        LevelDef {
            min: -10.0,
            name: "A".into(),
        },
        LevelDef {
            min: 50.0,
            name: "dup".into(),
        },
    ];
    input.groups[0].overall = Some(f64::NAN);
    input.groups[0].areas[0] = Some(f64::INFINITY);
    input.groups[0].areas[1] = Some(-30.0);
    input.groups[0].areas[2] = Some(250.0);
    input.groups[1].areas.truncate(3);
    input.areas[0].target = Some(f64::NAN);
    input.areas[1].weight = f64::NAN;
    input.areas[2].priority = Some(f64::NEG_INFINITY);
    input.questions[0].counts = Some(vec![0, 0, 0, 0, 0]);
    input.questions[1].counts = Some(vec![1, 2]); // wrong length
    input.questions[2].area = 42;
    input.questions[3].dont_know = Some(u64::MAX);
    input.questions[5].counts = Some(vec![u64::MAX / 2, u64::MAX / 2, 0, 0, 1]);
    input.groups.push(GroupScores {
        name: String::new(),
        suppressed: false,
        respondents: Some(0),
        overall: None,
        areas: Vec::new(),
    });
    for kind in ChartKind::all() {
        let files = render(kind, &input, &png).unwrap();
        for f in files {
            assert_eq!(&f.bytes[..8], &PNG_SIGNATURE);
        }
    }
    // no levels at all
    input.levels.clear();
    for kind in ChartKind::all() {
        render(kind, &input, &png).unwrap();
    }
}

#[test]
fn likert_skips_undrawable_questions_and_areas() {
    let mut input = sample_input(Language::De);
    // area 0: every question withheld → no file for it
    for q in input.questions.iter_mut().filter(|q| q.area == 0) {
        q.counts = None;
    }
    let files = svg(ChartKind::Likert, &input);
    assert_eq!(files.len(), 7);
    assert!(files.iter().all(|f| f.name != "likert-services.svg"));
}

#[test]
fn duplicate_slugs_get_suffixes() {
    let mut input = sample_input(Language::De);
    input.groups[4].name = "Bürgeramt!".into();
    input.groups[3].name = "organisation".into();
    let names: Vec<String> = svg(ChartKind::Bars, &input)
        .into_iter()
        .map(|f| f.name)
        .collect();
    assert!(
        names.contains(&"bars-organisation-2.svg".to_string()),
        "{names:?}"
    );
    assert!(names.contains(&"bars-buergeramt.svg".to_string()));
    assert!(names.contains(&"bars-buergeramt-2.svg".to_string()));
    let mut sorted = names.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), names.len());
}

#[test]
fn bad_scale_is_an_error() {
    let input = sample_input(Language::De);
    for scale in [0.0f32, -1.0, f32::NAN, f32::INFINITY, 100.0] {
        let opts = RenderOptions {
            format: ImageFormat::Png,
            scale,
        };
        assert!(
            render(ChartKind::Heatmap, &input, &opts).is_err(),
            "{scale}"
        );
    }
}

#[test]
fn huge_chart_is_an_error_not_an_abort() {
    let mut input = sample_input(Language::De);
    let d = input.groups[1].clone();
    for k in 0..1500 {
        let mut g = d.clone();
        g.name = format!("Abteilung {k}");
        input.groups.push(g);
    }
    let opts = RenderOptions {
        format: ImageFormat::Png,
        scale: 4.0,
    };
    let err = render(ChartKind::Heatmap, &input, &opts).unwrap_err();
    assert!(err.to_string().contains("too large"), "{err}");
    // the SVG is still available
    let svg = svg(ChartKind::Heatmap, &input);
    assert_eq!(svg.len(), 1);
}

#[test]
fn slugs() {
    assert_eq!(slug("Straßenverkehrsamt"), "strassenverkehrsamt");
    assert_eq!(
        slug("Bürgerservices & Online-Zugang"),
        "buergerservices-online-zugang"
    );
    assert_eq!(slug("ÄÖÜ äöü"), "aeoeue-aeoeue");
    assert_eq!(slug("../x"), "x");
    assert_eq!(slug("=cmd"), "cmd");
    assert_eq!(slug("..\\..\\etc/passwd"), "etc-passwd");
    assert_eq!(slug("  --Amt  für   IT--  "), "amt-fuer-it");
    assert_eq!(slug(""), "x");
    assert_eq!(slug("€€€"), "x");
    assert_eq!(slug("/"), "x");
    assert_eq!(slug("Café"), "cafe");
    let long = slug(&"Sehr langer Name ".repeat(10));
    assert!(long.len() <= 60);
    assert!(!long.ends_with('-'));
    assert_eq!(slug(&"a".repeat(100)).len(), 60);
    assert_eq!(slug("Amt 1\u{0}\n\t2"), "amt-1-2");
}

#[test]
fn chart_kind_names() {
    for k in ChartKind::all() {
        assert_eq!(k.name().parse::<ChartKind>().unwrap(), k);
        assert_eq!(k.to_string(), k.name());
    }
    assert_eq!("Radar".parse::<ChartKind>().unwrap(), ChartKind::Radar);
    let e = "pie".parse::<ChartKind>().unwrap_err();
    assert!(e.to_string().contains("pie"));
    assert_eq!("svg".parse::<ImageFormat>().unwrap(), ImageFormat::Svg);
    assert!("gif".parse::<ImageFormat>().is_err());
}

/// The measurement used for layout matches what resvg renders.
#[test]
fn measured_width_matches_rendered_width() {
    use resvg::usvg::Node;
    text::ensure_fonts().unwrap();
    for (s, font) in [
        ("Informationssicherheit & Datenschutz", draw::LABEL),
        ("Straßenverkehrsamt Größe ÄÖÜ", draw::LABEL),
        ("Personal- und Organisationsamt", draw::LABEL_BOLD),
        ("Die wichtigsten Verwaltungsleistungen", draw::SMALL),
    ] {
        let page = draw::svg_page("t".into(), 1600, 200, |a| {
            draw::text(a, s, 10.0, 50.0, font, style::INK, draw::Align::Left)
        })
        .unwrap();
        let tree = raster::parse(&page.svg).unwrap();
        let mut widths = Vec::new();
        fn walk(g: &resvg::usvg::Group, out: &mut Vec<f32>) {
            for n in g.children() {
                match n {
                    Node::Text(t) => out.push(t.bounding_box().width()),
                    Node::Group(g) => walk(g, out),
                    _ => {}
                }
            }
        }
        walk(tree.root(), &mut widths);
        assert_eq!(widths.len(), 1);
        let rendered = f64::from(widths[0]);
        let measured = text::width(s, font);
        let rel = (measured - rendered) / rendered;
        assert!(
            rel.abs() < 0.01,
            "{s}: measured {measured}, rendered {rendered}"
        );
    }
}

/// Writes every chart of the sample (German and English) as PNG and SVG when
/// REIFEGRAD_CHART_PREVIEW names a folder.
#[test]
fn write_previews() {
    let Ok(dir) = std::env::var("REIFEGRAD_CHART_PREVIEW") else {
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (lang, suffix) in [(Language::De, ""), (Language::En, "-en")] {
        let input = sample_input(lang);
        for kind in ChartKind::all() {
            for format in [ImageFormat::Png, ImageFormat::Svg] {
                let opts = RenderOptions { format, scale: 1.0 };
                for f in render(kind, &input, &opts).unwrap() {
                    let name = if suffix.is_empty() {
                        f.name.clone()
                    } else {
                        let (stem, ext) = f.name.rsplit_once('.').unwrap();
                        format!("en/{stem}{suffix}.{ext}")
                    };
                    let path = dir.join(name);
                    if let Some(p) = path.parent() {
                        std::fs::create_dir_all(p).unwrap();
                    }
                    std::fs::write(path, &f.bytes).unwrap();
                }
            }
        }
    }
}
