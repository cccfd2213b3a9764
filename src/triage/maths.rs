//! The small numeric kernels both triage models share: softmax over sparse inputs, and deterministic
//! shuffling and uniform draws (xorshift64) so that training needs no rand dependency.

pub fn softmax_into(x: &[(u32, f32)], w: &[f32], b: &[f32], k: usize, out: &mut [f32]) {
    out.copy_from_slice(b);
    for &(f, v) in x {
        let row = &w[f as usize * k..f as usize * k + k];
        for c in 0..k {
            out[c] += row[c] * v;
        }
    }
    softmax_in_place(out);
}

pub fn softmax_in_place(out: &mut [f32]) {
    let max = out.iter().cloned().fold(f32::MIN, f32::max);
    let mut sum = 0.0;
    for o in out.iter_mut() {
        *o = (*o - max).exp();
        sum += *o;
    }
    out.iter_mut().for_each(|o| *o /= sum);
}

/// Fisher–Yates with xorshift64: deterministic training without a rand dependency.
pub fn shuffle(v: &mut [usize], state: &mut u64) {
    for i in (1..v.len()).rev() {
        v.swap(i, (xorshift(state) % (i as u64 + 1)) as usize);
    }
}

/// A uniform draw in [0, 1) from xorshift64 (deterministic, no rand dependency).
pub fn uniform(state: &mut u64) -> f32 {
    (xorshift(state) >> 40) as f32 / (1u64 << 24) as f32
}

fn xorshift(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}
