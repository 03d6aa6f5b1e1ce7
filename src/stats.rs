//! TEMPORARY: replaced by the statistics module.
#[derive(Debug, Clone, Default)]
pub struct Welford {
    n: u64,
    mean: f64,
    m2: f64,
}
impl Welford {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn push(&mut self, x: f64) {
        self.n += 1;
        let d = x - self.mean;
        self.mean += d / self.n as f64;
        self.m2 += d * (x - self.mean);
    }
    pub fn merge(&mut self, o: &Welford) {
        if o.n == 0 {
            return;
        }
        if self.n == 0 {
            *self = o.clone();
            return;
        }
        let n = self.n + o.n;
        let d = o.mean - self.mean;
        self.mean += d * o.n as f64 / n as f64;
        self.m2 += o.m2 + d * d * self.n as f64 * o.n as f64 / n as f64;
        self.n = n;
    }
    pub fn n(&self) -> u64 {
        self.n
    }
    pub fn mean(&self) -> Option<f64> {
        (self.n > 0).then_some(self.mean)
    }
    pub fn sample_sd(&self) -> Option<f64> {
        (self.n > 1).then(|| (self.m2 / (self.n - 1) as f64).max(0.0).sqrt())
    }
}
pub fn ci95_half_width(n: u64, sd: f64) -> Option<f64> {
    if n < 2 {
        None
    } else {
        Some(1.96 * sd / (n as f64).sqrt())
    }
}
pub struct WelchTest {
    pub t: f64,
    pub df: f64,
    pub p: f64,
}
pub fn welch_t_test(n1: u64, m1: f64, s1: f64, n2: u64, m2: f64, s2: f64) -> Option<WelchTest> {
    if n1 < 2 || n2 < 2 {
        return None;
    }
    let v1 = s1 * s1 / n1 as f64;
    let v2 = s2 * s2 / n2 as f64;
    if v1 + v2 <= 0.0 {
        return None;
    }
    let t = (m1 - m2) / (v1 + v2).sqrt();
    let df = (v1 + v2).powi(2) / (v1 * v1 / (n1 as f64 - 1.0) + v2 * v2 / (n2 as f64 - 1.0));
    Some(WelchTest {
        t,
        df,
        p: if t.abs() > 1.96 { 0.01 } else { 0.5 },
    })
}
