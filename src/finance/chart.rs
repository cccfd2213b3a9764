//! The weekly digest's chart: one currency's MRR at the end of each of the last 12 weeks as a PNG
//! (plotters, drawn in memory): dated weeks, a value axis in the currency, the last value written beside
//! its point, large type so a phone's preview in Slack or Discord stays readable. The font
//! (config/fonts) is compiled in, so the chart renders the same on a bare server.

use super::money::money;
use crate::domain::Millis;
use image::ImageEncoder;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 640;

pub(super) const FAMILY: &str = "opsdesk-sans";
static FONT: &[u8] = include_bytes!("../../config/fonts/DejaVuSans-subset.ttf");
pub(super) const INK: RGBColor = RGBColor(40, 44, 52);
pub(super) const LINE: RGBColor = RGBColor(54, 92, 230);

fn register_font() -> Result<(), String> {
    static DONE: std::sync::OnceLock<Result<(), String>> = std::sync::OnceLock::new();
    DONE.get_or_init(|| {
        plotters::style::register_font(FAMILY, FontStyle::Normal, FONT)
            .map_err(|_| "the chart font in config/fonts cannot be read".to_string())
    })
    .clone()
}

/// `Mar 02`: the last day of a week that ends (exclusive) at `t`, in UTC.
fn week_label(t: Millis) -> String {
    chrono::DateTime::from_timestamp_millis(t - 1)
        .map_or_else(String::new, |d| d.format("%b %d").to_string())
}

/// An axis value in the currency's major units, grouped, without decimals: `1,250`.
fn axis_value(minor: f64, currency: &str) -> String {
    let scale = 10f64.powi(super::money::exponent(currency) as i32);
    let whole = money(((minor / scale).round() as i64) * scale as i64, currency);
    whole
        .split(['.', ' '])
        .next()
        .unwrap_or_default()
        .to_string()
}

pub(super) fn err(e: impl std::fmt::Display) -> String {
    format!("could not draw the chart: {e}")
}

/// PNG bytes of `currency`'s MRR `points` (week end, minor units), oldest first.
pub fn mrr_png(points: &[(Millis, i64)], currency: &str) -> Result<Vec<u8>, String> {
    if points.is_empty() {
        return Err("no points to draw".into());
    }
    render(|rgb| draw(rgb, points, currency))
}

/// A chart drawn by `draw` on a white `WIDTH` × `HEIGHT` canvas, as PNG bytes.
pub(super) fn render(
    draw: impl FnOnce(&mut [u8]) -> Result<(), String>,
) -> Result<Vec<u8>, String> {
    register_font()?;
    let mut rgb = vec![0u8; (WIDTH * HEIGHT * 3) as usize];
    draw(&mut rgb)?;
    let mut png = vec![];
    image::codecs::png::PngEncoder::new(&mut png)
        .write_image(&rgb, WIDTH, HEIGHT, image::ColorType::Rgb8)
        .map_err(|e| format!("could not encode the chart: {e}"))?;
    Ok(png)
}

fn draw(rgb: &mut [u8], points: &[(Millis, i64)], currency: &str) -> Result<(), String> {
    let root = BitMapBackend::with_buffer(rgb, (WIDTH, HEIGHT)).into_drawing_area();
    root.fill(&WHITE).map_err(err)?;
    let code = currency.to_uppercase();
    let max = points.iter().map(|p| p.1).max().unwrap_or(0).max(1) as f64 * 1.18;
    let n = points.len() as f64;
    let title = format!("MRR in {code}, last {} weeks", points.len());
    let mut chart = ChartBuilder::on(&root)
        .caption(title, (FAMILY, 36).into_font().color(&INK))
        .margin(28)
        .margin_right(40)
        .x_label_area_size(56)
        .y_label_area_size(130)
        .build_cartesian_2d(-0.4f64..(n - 0.6), 0f64..max)
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .y_labels(6)
        .y_label_formatter(&|y| axis_value(*y, currency))
        .y_desc(code.as_str())
        .label_style((FAMILY, 24).into_font().color(&INK))
        .axis_desc_style((FAMILY, 24).into_font().color(&INK))
        .bold_line_style(RGBColor(226, 228, 232))
        .light_line_style(WHITE)
        .draw()
        .map_err(err)?;
    let series = || {
        points
            .iter()
            .enumerate()
            .map(|(i, p)| (i as f64, p.1 as f64))
    };
    chart
        .draw_series(
            AreaSeries::new(series(), 0.0, LINE.mix(0.18)).border_style(LINE.stroke_width(4)),
        )
        .map_err(err)?;
    chart
        .draw_series(series().map(|p| Circle::new(p, 6, LINE.filled())))
        .map_err(err)?;
    // The weeks under the axis (every other one when there are many), and the last value.
    let below = TextStyle::from((FAMILY, 22).into_font())
        .color(&INK)
        .pos(Pos::new(HPos::Center, VPos::Top));
    let step = if points.len() > 8 { 2 } else { 1 };
    for (i, (t, _)) in points.iter().enumerate().rev().step_by(step) {
        let (x, y) = chart.backend_coord(&(i as f64, 0.0));
        root.draw_text(&week_label(*t), &below, (x, y + 12))
            .map_err(err)?;
    }
    let (last_i, (_, last)) = (points.len() - 1, points[points.len() - 1]);
    let (x, y) = chart.backend_coord(&(last_i as f64, last as f64));
    let label = TextStyle::from((FAMILY, 30).into_font())
        .color(&INK)
        .pos(Pos::new(HPos::Right, VPos::Bottom));
    root.draw_text(&money(last, currency), &label, (x - 4, y - 14))
        .map_err(err)?;
    root.present().map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;
    const WEEK: Millis = 7 * 86_400_000;

    #[test]
    fn the_chart_is_a_png_of_the_expected_size_with_text_drawn() {
        let start = crate::finance::report::parse_date("2026-01-05").unwrap();
        let points: Vec<(Millis, i64)> = (0..12)
            .map(|i| (start + i * WEEK, 30_000 + i * 1_250))
            .collect();
        let png = mrr_png(&points, "usd").unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let img = image::load_from_memory(&png).unwrap().to_rgb8();
        assert_eq!((img.width(), img.height()), (WIDTH, HEIGHT));
        // Dark ink (text) in the title band and under the axis: the font was found and drawn.
        let ink = |y0: u32, y1: u32| {
            (y0..y1)
                .flat_map(|y| (0..WIDTH).map(move |x| (x, y)))
                .filter(|(x, y)| img.get_pixel(*x, *y).0.iter().all(|c| *c < 90))
                .count()
        };
        assert!(ink(0, 70) > 500, "title");
        assert!(ink(HEIGHT - 70, HEIGHT) > 500, "week labels");
        assert!(mrr_png(&[], "usd").is_err());
    }

    #[test]
    fn labels_are_dates_and_whole_amounts() {
        let t = crate::finance::report::parse_date("2026-03-09").unwrap();
        assert_eq!(week_label(t), "Mar 08");
        assert_eq!(axis_value(123_456.0, "usd"), "1,235");
        assert_eq!(axis_value(1_500.0, "jpy"), "1,500");
    }
}
