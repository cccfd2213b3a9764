//! The optional hidden layer (`triage train --hidden N`): networks with one ReLU layer between the
//! sparse TF-IDF features and the softmax, trained with Adam in mini-batches as scikit-learn's
//! `MLPClassifier` (Glorot-uniform start, L2 `alpha` scaled by the batch). Several networks trained
//! from different seeds (`--ensemble N`) are averaged, which steadies what one start gets by luck.

use super::maths::{shuffle, softmax_in_place, softmax_into, uniform};
use serde::{Deserialize, Serialize};

/// The hidden layer's weights: `weights[f * size + j]` from feature `f` to unit `j`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Hidden {
    pub size: usize,
    pub weights: Vec<f32>,
    pub bias: Vec<f32>,
}

impl Hidden {
    /// The layer's activations for a sparse input, as sparse pairs (ReLU zeroes are dropped), ready for
    /// the softmax layer that also takes sparse input.
    pub fn activate(&self, x: &[(u32, f32)]) -> Vec<(u32, f32)> {
        let mut h = self.bias.clone();
        self.accumulate(x, &mut h);
        h.into_iter()
            .enumerate()
            .filter(|(_, v)| *v > 0.0)
            .map(|(j, v)| (j as u32, v))
            .collect()
    }

    fn accumulate(&self, x: &[(u32, f32)], h: &mut [f32]) {
        let n = self.size;
        for &(f, v) in x {
            let row = &self.weights[f as usize * n..f as usize * n + n];
            h.iter_mut().zip(row).for_each(|(a, w)| *a += w * v);
        }
    }
}

/// One network: the hidden layer, then the output layer (`weights[j * k + c]` from unit `j` to label `c`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Net {
    pub hidden: Hidden,
    pub weights: Vec<f32>,
    pub bias: Vec<f32>,
}

impl Net {
    /// Adds this network's label probabilities for a sparse input to `sum`.
    pub fn add_probs(&self, x: &[(u32, f32)], sum: &mut [f32]) {
        let mut out = vec![0f32; sum.len()];
        softmax_into(
            &self.hidden.activate(x),
            &self.weights,
            &self.bias,
            sum.len(),
            &mut out,
        );
        sum.iter_mut().zip(&out).for_each(|(s, p)| *s += p);
    }
}

/// Hyper-parameters of the network's training.
#[derive(Debug, Clone)]
pub struct MlpParams {
    pub hidden: usize,
    pub epochs: usize,
    pub learning_rate: f32,
    /// L2 penalty, divided by the batch's size as scikit-learn does.
    pub alpha: f32,
    pub batch: usize,
    pub seed: u64,
}

/// Adam's state for one parameter array.
struct Adam {
    m: Vec<f32>,
    v: Vec<f32>,
    grad: Vec<f32>,
}

impl Adam {
    fn new(n: usize) -> Adam {
        Adam {
            m: vec![0.0; n],
            v: vec![0.0; n],
            grad: vec![0.0; n],
        }
    }

    /// One step on `w` from the summed gradient of a batch of `n` (the gradient is cleared).
    fn step(&mut self, w: &mut [f32], n: f32, alpha: f32, lr_t: f32) {
        const B1: f32 = 0.9;
        const B2: f32 = 0.999;
        for (((w, g), m), v) in w
            .iter_mut()
            .zip(self.grad.iter_mut())
            .zip(self.m.iter_mut())
            .zip(self.v.iter_mut())
        {
            let d = (*g + alpha * *w) / n;
            *g = 0.0;
            *m = B1 * *m + (1.0 - B1) * d;
            *v = B2 * *v + (1.0 - B2) * d * d;
            *w -= lr_t * *m / (v.sqrt() + 1e-8);
        }
    }
}

/// One network being trained: its layers, their Adam state and the per-example buffers.
struct Trainer {
    hidden: Hidden,
    w2: Vec<f32>,
    b2: Vec<f32>,
    a1: Adam,
    ab1: Adam,
    a2: Adam,
    ab2: Adam,
    h: Vec<f32>,
    dh: Vec<f32>,
    out: Vec<f32>,
    k: usize,
}

impl Trainer {
    /// Glorot-initialised layers from `rng`.
    fn new(features: usize, n: usize, k: usize, rng: &mut u64) -> Trainer {
        let glorot = |fan_in: usize, fan_out: usize, len: usize, rng: &mut u64| -> Vec<f32> {
            let bound = (6.0 / (fan_in + fan_out) as f32).sqrt();
            (0..len)
                .map(|_| (uniform(rng) * 2.0 - 1.0) * bound)
                .collect()
        };
        let hidden = Hidden {
            size: n,
            weights: glorot(features, n, features * n, rng),
            bias: glorot(features, n, n, rng),
        };
        let w2 = glorot(n, k, n * k, rng);
        let b2 = glorot(n, k, k, rng);
        Trainer {
            hidden,
            w2,
            b2,
            a1: Adam::new(features * n),
            ab1: Adam::new(n),
            a2: Adam::new(n * k),
            ab2: Adam::new(k),
            h: vec![0f32; n],
            dh: vec![0f32; n],
            out: vec![0f32; k],
            k,
        }
    }

    /// Forward through both layers, then the gradients of example `x` with label `y` accumulated.
    fn example(&mut self, x: &[(u32, f32)], y: usize) {
        let (n, k) = (self.hidden.size, self.k);
        let (h, dh, out, w2) = (&mut self.h, &mut self.dh, &mut self.out, &self.w2);
        h.copy_from_slice(&self.hidden.bias);
        self.hidden.accumulate(x, h);
        h.iter_mut().for_each(|v| *v = v.max(0.0));
        out.copy_from_slice(&self.b2);
        for (j, &hj) in h.iter().enumerate().filter(|(_, v)| **v > 0.0) {
            out.iter_mut()
                .zip(&w2[j * k..j * k + k])
                .for_each(|(o, w)| *o += w * hj);
        }
        softmax_in_place(out);
        out[y] -= 1.0;
        self.ab2
            .grad
            .iter_mut()
            .zip(out.iter())
            .for_each(|(g, d)| *g += d);
        // Back through the output layer to the units that fired (a ReLU passes nothing else).
        for j in 0..n {
            dh[j] = 0.0;
            if h[j] > 0.0 {
                dh[j] = w2[j * k..j * k + k]
                    .iter()
                    .zip(out.iter())
                    .map(|(w, d)| w * d)
                    .sum();
                self.a2.grad[j * k..j * k + k]
                    .iter_mut()
                    .zip(out.iter())
                    .for_each(|(g, d)| *g += h[j] * d);
            }
        }
        self.ab1
            .grad
            .iter_mut()
            .zip(dh.iter())
            .for_each(|(g, d)| *g += d);
        for &(f, v) in x {
            self.a1.grad[f as usize * n..f as usize * n + n]
                .iter_mut()
                .zip(dh.iter())
                .for_each(|(g, d)| *g += v * d);
        }
    }

    /// One Adam step (the `t`-th) over a batch of `m` examples.
    fn step(&mut self, t: i32, m: f32, p: &MlpParams) {
        let lr_t = p.learning_rate * (1.0 - 0.999f32.powi(t)).sqrt() / (1.0 - 0.9f32.powi(t));
        self.a1.step(&mut self.hidden.weights, m, p.alpha, lr_t);
        self.ab1.step(&mut self.hidden.bias, m, 0.0, lr_t);
        self.a2.step(&mut self.w2, m, p.alpha, lr_t);
        self.ab2.step(&mut self.b2, m, 0.0, lr_t);
    }
}

/// Trains one network on sparse inputs `xs` with label indices `ys` (`k` labels).
pub fn train(
    xs: &[Vec<(u32, f32)>],
    ys: &[usize],
    features: usize,
    k: usize,
    p: &MlpParams,
) -> Net {
    let mut rng = p.seed.max(1);
    let mut tr = Trainer::new(features, p.hidden, k, &mut rng);
    let mut order: Vec<usize> = (0..xs.len()).collect();
    let mut t = 0i32;
    for _ in 0..p.epochs {
        shuffle(&mut order, &mut rng);
        for batch in order.chunks(p.batch.max(1)) {
            for &i in batch {
                tr.example(&xs[i], ys[i]);
            }
            t += 1;
            tr.step(t, batch.len() as f32, p);
        }
    }
    Net {
        hidden: tr.hidden,
        weights: tr.w2,
        bias: tr.b2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_a_problem_no_linear_model_can() {
        // XOR over two features: only a hidden layer separates it.
        let xs: Vec<Vec<(u32, f32)>> = vec![
            vec![],
            vec![(0, 1.0)],
            vec![(1, 1.0)],
            vec![(0, 1.0), (1, 1.0)],
        ];
        let ys = [0, 1, 1, 0];
        let p = MlpParams {
            hidden: 8,
            epochs: 1500,
            learning_rate: 0.05,
            alpha: 0.0,
            batch: 4,
            seed: 3,
        };
        let net = train(&xs, &ys, 2, 2, &p);
        for (x, &y) in xs.iter().zip(&ys) {
            let mut out = vec![0f32; 2];
            net.add_probs(x, &mut out);
            assert!(out[y] > 0.9, "{x:?}: {out:?}");
        }
    }

    #[test]
    fn activations_are_relu_and_sparse() {
        let h = Hidden {
            size: 3,
            weights: vec![1.0, -1.0, 0.5, 2.0, 0.0, -3.0],
            bias: vec![0.0, 0.1, 0.0],
        };
        // [0, 0.1, 0] + [1, -1, 0.5] + 0.5 × [2, 0, -3] = [2, -0.9, -1]: only the first unit fires.
        assert_eq!(h.activate(&[(0, 1.0), (1, 0.5)]), vec![(0, 2.0)]);
        assert_eq!(h.activate(&[]), vec![(1, 0.1)]);
    }
}
