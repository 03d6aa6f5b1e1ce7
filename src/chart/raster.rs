//! SVG → PNG with resvg, using only the embedded fonts.

use std::sync::{Arc, OnceLock};

use resvg::tiny_skia;
use resvg::usvg::{self, fontdb};

use super::text::{BOLD_TTF, REGULAR_TTF};

/// Largest accepted `scale` (a 1600×1000 chart at 4× is 6400×4000 px,
/// 400 dpi at 16 cm width).
pub(crate) const MAX_SCALE: f32 = 4.0;
/// Largest PNG (pixels) rendered; a page grown very tall by thousands of rows
/// fails with an error instead of exhausting memory.
const MAX_PIXELS: u64 = 100_000_000;

static FONTDB: OnceLock<Arc<fontdb::Database>> = OnceLock::new();

/// The font database: the two embedded DejaVu Sans faces, every generic
/// family mapped to them. Built once per process; no system fonts.
fn fontdb() -> Arc<fontdb::Database> {
    FONTDB
        .get_or_init(|| {
            let mut db = fontdb::Database::new();
            db.load_font_source(fontdb::Source::Binary(Arc::new(REGULAR_TTF)));
            db.load_font_source(fontdb::Source::Binary(Arc::new(BOLD_TTF)));
            db.set_sans_serif_family("DejaVu Sans");
            db.set_serif_family("DejaVu Sans");
            db.set_monospace_family("DejaVu Sans");
            db.set_cursive_family("DejaVu Sans");
            db.set_fantasy_family("DejaVu Sans");
            Arc::new(db)
        })
        .clone()
}

fn options() -> usvg::Options<'static> {
    usvg::Options {
        font_family: "DejaVu Sans".to_string(),
        fontdb: fontdb(),
        ..usvg::Options::default()
    }
}

/// Parses an SVG document with the embedded fonts (text becomes outlines).
pub(crate) fn parse(svg: &str) -> anyhow::Result<usvg::Tree> {
    usvg::Tree::from_str(svg, &options()).map_err(|e| anyhow::anyhow!("chart SVG is invalid: {e}"))
}

/// Pixel size of a page of nominal size `w`×`h` at `scale`.
pub(crate) fn pixel_size(w: u32, h: u32, scale: f32) -> (u32, u32) {
    let s = f64::from(scale);
    (
        (f64::from(w) * s).round().max(1.0) as u32,
        (f64::from(h) * s).round().max(1.0) as u32,
    )
}

/// Rasterises an SVG document of nominal size `w`×`h` at `scale` into a PNG.
pub(crate) fn png(svg: &str, w: u32, h: u32, scale: f32) -> anyhow::Result<Vec<u8>> {
    if !(scale.is_finite() && scale > 0.0 && scale <= MAX_SCALE) {
        anyhow::bail!("image scale must be between 0 and {MAX_SCALE}, got {scale}");
    }
    let (pw, ph) = pixel_size(w, h, scale);
    if u64::from(pw) * u64::from(ph) > MAX_PIXELS {
        anyhow::bail!("chart too large to rasterise ({pw}×{ph} px); use --image svg");
    }
    let tree = parse(svg)?;
    let mut pixmap = tiny_skia::Pixmap::new(pw, ph)
        .ok_or_else(|| anyhow::anyhow!("cannot allocate a {pw}×{ph} image"))?;
    let sx = pw as f32 / w.max(1) as f32;
    let sy = ph as f32 / h.max(1) as f32;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(sx, sy),
        &mut pixmap.as_mut(),
    );
    encode_rgb_png(pixmap.data(), pw, ph)
}

/// Encodes premultiplied RGBA pixels, composited over white, as an 8-bit RGB
/// PNG. Deflate level 1 with the "up" filter: a few milliseconds for a
/// 1600×1000 chart (tiny-skia's own encoder, RGBA at level 6, takes ~10× as
/// long) and files of about 100 kB.
fn encode_rgb_png(rgba: &[u8], w: u32, h: u32) -> anyhow::Result<Vec<u8>> {
    let mut rgb = vec![0u8; rgba.len() / 4 * 3];
    for (d, p) in rgb.chunks_exact_mut(3).zip(rgba.chunks_exact(4)) {
        // premultiplied colour over white: c + (255 − alpha)
        let cover = 255 - p[3];
        d[0] = p[0].saturating_add(cover);
        d[1] = p[1].saturating_add(cover);
        d[2] = p[2].saturating_add(cover);
    }
    let mut out = Vec::with_capacity(rgb.len() / 16);
    {
        let mut encoder = png::Encoder::new(&mut out, w, h);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_deflate_compression(png::DeflateCompression::Level(1));
        encoder.set_filter(png::Filter::Up);
        let mut writer = encoder
            .write_header()
            .map_err(|e| anyhow::anyhow!("PNG encoding failed: {e}"))?;
        writer
            .write_image_data(&rgb)
            .map_err(|e| anyhow::anyhow!("PNG encoding failed: {e}"))?;
        writer
            .finish()
            .map_err(|e| anyhow::anyhow!("PNG encoding failed: {e}"))?;
    }
    Ok(out)
}
