//! The weekly support digest's chart: tickets opened each day, stacked by outcome (answered by the
//! bot, handled by people, still open), in the same readable style as the MRR chart.

use super::chart::{FAMILY, HEIGHT, INK, LINE, WIDTH, err, render};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

const PEOPLE: RGBColor = RGBColor(236, 142, 52);
const OPEN: RGBColor = RGBColor(170, 174, 182);

/// One bar: its label (`Mon 03`) and the counts stacked bottom to top: bot, people, open.
pub type Bar = (String, [i64; 3]);

/// PNG bytes of the bars.
pub fn tickets_png(bars: &[Bar]) -> Result<Vec<u8>, String> {
    if bars.is_empty() {
        return Err("no days to draw".into());
    }
    render(|rgb| draw(rgb, bars))
}

fn draw(rgb: &mut [u8], bars: &[Bar]) -> Result<(), String> {
    let root = BitMapBackend::with_buffer(rgb, (WIDTH, HEIGHT)).into_drawing_area();
    root.fill(&WHITE).map_err(err)?;
    let top = bars
        .iter()
        .map(|b| b.1.iter().sum::<i64>())
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let n = bars.len() as f64;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            "Tickets per day: bot (blue), people (orange), open (grey)",
            (FAMILY, 32).into_font().color(&INK),
        )
        .margin(28)
        .x_label_area_size(56)
        .y_label_area_size(80)
        .build_cartesian_2d(0f64..n, 0f64..top * 1.15)
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .y_labels(6)
        .y_label_formatter(&|y| format!("{y:.0}"))
        .label_style((FAMILY, 24).into_font().color(&INK))
        .bold_line_style(RGBColor(226, 228, 232))
        .light_line_style(WHITE)
        .draw()
        .map_err(err)?;
    for (i, (_, counts)) in bars.iter().enumerate() {
        let mut base = 0.0;
        for (count, colour) in counts.iter().zip([LINE, PEOPLE, OPEN]) {
            let h = *count as f64;
            if h > 0.0 {
                let (x0, x1) = (i as f64 + 0.15, i as f64 + 0.85);
                let bar = Rectangle::new([(x0, base), (x1, base + h)], colour.filled());
                chart.draw_series(std::iter::once(bar)).map_err(err)?;
            }
            base += h;
        }
    }
    let below = TextStyle::from((FAMILY, 22).into_font())
        .color(&INK)
        .pos(Pos::new(HPos::Center, VPos::Top));
    let above = TextStyle::from((FAMILY, 24).into_font())
        .color(&INK)
        .pos(Pos::new(HPos::Center, VPos::Bottom));
    for (i, (label, counts)) in bars.iter().enumerate() {
        let total = counts.iter().sum::<i64>();
        let (x, y) = chart.backend_coord(&(i as f64 + 0.5, 0.0));
        root.draw_text(label, &below, (x, y + 12)).map_err(err)?;
        let (x, y) = chart.backend_coord(&(i as f64 + 0.5, total as f64));
        root.draw_text(&total.to_string(), &above, (x, y - 6))
            .map_err(err)?;
    }
    root.present().map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chart_is_a_png_with_its_bars_and_labels_drawn() {
        let bars: Vec<Bar> = (0..7)
            .map(|i| (format!("Day {i}"), [i * 3, i, 1]))
            .collect();
        let png = tickets_png(&bars).unwrap();
        let img = image::load_from_memory(&png).unwrap().to_rgb8();
        assert_eq!((img.width(), img.height()), (WIDTH, HEIGHT));
        let count = |c: RGBColor| img.pixels().filter(|p| p.0 == [c.0, c.1, c.2]).count();
        assert!(count(LINE) > 1_000 && count(PEOPLE) > 1_000 && count(OPEN) > 500);
        let ink = (0..70)
            .flat_map(|y| (0..WIDTH).map(move |x| (x, y)))
            .filter(|(x, y)| img.get_pixel(*x, *y).0.iter().all(|c| *c < 90))
            .count();
        assert!(ink > 500, "title drawn");
        assert!(tickets_png(&[]).is_err());
    }
}
