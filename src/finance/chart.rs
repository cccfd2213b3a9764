//! The weekly digest's chart: MRR at the end of each of the last 12 weeks as a PNG (plotters, drawn in
//! memory; the numbers themselves are in the digest's text, so the picture needs no font).

use crate::domain::Millis;
use image::ImageEncoder;
use plotters::prelude::*;

pub const WIDTH: u32 = 720;
pub const HEIGHT: u32 = 300;

/// PNG bytes of an area chart of `points` (time, minor units), oldest first.
pub fn mrr_png(points: &[(Millis, i64)]) -> Result<Vec<u8>, String> {
    if points.is_empty() {
        return Err("no points to draw".into());
    }
    let mut rgb = vec![0u8; (WIDTH * HEIGHT * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let max = points.iter().map(|p| p.1).max().unwrap_or(0).max(1) as f64 * 1.1;
        let n = points.len().max(2) - 1;
        let mut chart = ChartBuilder::on(&root)
            .margin(16)
            .build_cartesian_2d(0f64..n as f64, 0f64..max)
            .map_err(|e| e.to_string())?;
        for i in 0..=4 {
            let y = max * i as f64 / 5.0;
            chart
                .draw_series(LineSeries::new(
                    [(0.0, y), (n as f64, y)],
                    RGBColor(225, 225, 225),
                ))
                .map_err(|e| e.to_string())?;
        }
        let series = points
            .iter()
            .enumerate()
            .map(|(i, p)| (i as f64, p.1 as f64));
        chart
            .draw_series(
                AreaSeries::new(series.clone(), 0.0, RGBColor(99, 132, 255).mix(0.25))
                    .border_style(RGBColor(54, 92, 230).stroke_width(3)),
            )
            .map_err(|e| e.to_string())?;
        chart
            .draw_series(series.map(|p| Circle::new(p, 4, RGBColor(54, 92, 230).filled())))
            .map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    let mut png = vec![];
    image::codecs::png::PngEncoder::new(&mut png)
        .write_image(&rgb, WIDTH, HEIGHT, image::ColorType::Rgb8)
        .map_err(|e| format!("could not encode the chart: {e}"))?;
    Ok(png)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_chart_is_a_png_of_the_expected_size() {
        let png = super::mrr_png(&[(0, 1000), (1, 1500), (2, 1400), (3, 2100)]).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let img = image::load_from_memory(&png).unwrap();
        assert_eq!((img.width(), img.height()), (super::WIDTH, super::HEIGHT));
        assert!(super::mrr_png(&[]).is_err());
    }
}
