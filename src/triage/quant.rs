//! A linear model's weights as signed bytes, one scale per input row, base64 in the model file.

/// Each row of `k` weights as signed bytes and the row's scale (`max |w| / 127`): a linear model over
/// tens of thousands of n-grams and a hundred intents fits in a few megabytes, and the rounding is far
/// below the model's noise.
pub(super) fn quantise(weights: &[f32], k: usize) -> (String, Vec<f32>) {
    use base64::Engine;
    let mut bytes = Vec::with_capacity(weights.len());
    let mut scales = vec![];
    for row in weights.chunks(k.max(1)) {
        let scale = row.iter().fold(0f32, |m, w| m.max(w.abs())) / 127.0;
        scales.push(scale);
        bytes.extend(row.iter().map(|w| {
            let q = if scale > 0.0 {
                (w / scale).round()
            } else {
                0.0
            };
            q.clamp(-127.0, 127.0) as i8 as u8
        }));
    }
    (
        base64::engine::general_purpose::STANDARD.encode(bytes),
        scales,
    )
}

#[cfg(test)]
pub(super) fn dequantise(q: &str, scales: &[f32]) -> Result<Vec<f32>, String> {
    let bytes = decode(q, scales)?;
    let k = bytes.len() / scales.len();
    Ok(bytes
        .chunks(k)
        .zip(scales)
        .flat_map(|(row, s)| row.iter().map(move |b| *b as f32 * s))
        .collect())
}

/// The signed bytes of `weights_q8`, checked against its scales (one per row).
pub(super) fn decode(q: &str, scales: &[f32]) -> Result<Vec<i8>, String> {
    use base64::Engine;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(q)
        .map_err(|e| format!("\"weights_q8\" is not base64: {e}"))?;
    if scales.is_empty() || bytes.len() % scales.len() != 0 {
        return Err("\"weights_q8\" does not match \"scales\"".into());
    }
    Ok(bytes.into_iter().map(|b| b as i8).collect())
}

/// A linear model's weights, a row of `k` per input: as trained, or as its file keeps them (a signed
/// byte per weight and a scale per row: a quarter of the memory, 3 MB instead of 13 for the built-in
/// model, with the same decisions).
#[derive(Debug, Clone)]
pub(super) enum Weights {
    F32(Vec<f32>),
    Q8 { bytes: Vec<i8>, scales: Vec<f32> },
}

impl Weights {
    pub(super) fn len(&self) -> usize {
        match self {
            Weights::F32(w) => w.len(),
            Weights::Q8 { bytes, .. } => bytes.len(),
        }
    }

    /// Adds input `f`'s row, times `v`, to `out` (`k` = `out.len()` weights a row).
    pub(super) fn add_row(&self, f: usize, v: f32, out: &mut [f32]) {
        let k = out.len();
        match self {
            Weights::F32(w) => {
                for (o, w) in out.iter_mut().zip(&w[f * k..f * k + k]) {
                    *o += w * v;
                }
            }
            Weights::Q8 { bytes, scales } => {
                let s = scales[f] * v;
                for (o, b) in out.iter_mut().zip(&bytes[f * k..f * k + k]) {
                    *o += *b as f32 * s;
                }
            }
        }
    }

    /// The file's `weights_q8` and `scales` (kept bytes are written back as they were read).
    pub(super) fn quantised(&self, k: usize) -> (String, Vec<f32>) {
        use base64::Engine;
        match self {
            Weights::F32(w) => quantise(w, k),
            Weights::Q8 { bytes, scales } => (
                base64::engine::general_purpose::STANDARD
                    .encode(bytes.iter().map(|b| *b as u8).collect::<Vec<u8>>()),
                scales.clone(),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_round_trip_within_half_a_step() {
        let w = [0.5, -1.27, 0.0, 0.0, 0.0, 0.0, 2.54, 0.01, -0.02];
        let (q, scales) = quantise(&w, 3);
        assert_eq!(scales.len(), 3);
        let back = dequantise(&q, &scales).unwrap();
        for ((a, b), s) in w.iter().zip(&back).zip(scales.iter().flat_map(|s| [s; 3])) {
            assert!((a - b).abs() <= s / 2.0 + 1e-7, "{a} vs {b}");
        }
        assert!(dequantise("!!", &scales).unwrap_err().contains("base64"));
        assert!(dequantise(&q, &[1.0, 1.0, 1.0, 1.0]).is_err());
    }
}
