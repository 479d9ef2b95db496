//! Durations kept as counts per fixed bucket, so roll-ups of any number of
//! hours or days add up and still give percentiles (a p50 of p50s would
//! not). A percentile is estimated by interpolating inside its bucket.

/// Send latency (event written → provider accepted), in milliseconds: the
/// upper edges of the buckets; the last bucket is everything above.
pub const LATENCY_MS: &[f64] =
    &[100.0, 250.0, 500.0, 1_000.0, 2_000.0, 5_000.0, 10_000.0, 30_000.0, 60_000.0, 300_000.0, 900_000.0, 3_600_000.0];

/// Order and parcel durations (to ship, to deliver, warning lead), in hours.
pub const DURATION_HOURS: &[f64] =
    &[1.0, 2.0, 4.0, 8.0, 12.0, 24.0, 36.0, 48.0, 72.0, 96.0, 120.0, 168.0, 240.0, 336.0];

/// The bucket of `value` (0-based; `edges.len()` is the overflow bucket).
pub fn bucket_of(edges: &[f64], value: f64) -> usize {
    edges.iter().position(|edge| value < *edge).unwrap_or(edges.len())
}

/// Counts for `edges` (one per bucket, overflow last), all zero.
pub fn empty(edges: &[f64]) -> Vec<i32> {
    vec![0; edges.len() + 1]
}

/// Adds `other` into `into`, bucket by bucket.
pub fn add(into: &mut Vec<i32>, other: &[i32]) {
    if into.len() < other.len() {
        into.resize(other.len(), 0);
    }
    into.iter_mut().zip(other).for_each(|(a, b)| *a += b);
}

/// The `p`-quantile (0 < p < 1) of `counts`, interpolated within its
/// bucket; the overflow bucket answers its lower edge. `None` when empty.
pub fn quantile(edges: &[f64], counts: &[i32], p: f64) -> Option<f64> {
    let total: i64 = counts.iter().map(|c| i64::from(*c)).sum();
    if total == 0 {
        return None;
    }
    let rank = p * total as f64;
    let mut below = 0.0;
    for (i, count) in counts.iter().enumerate() {
        let count = f64::from(*count);
        if count > 0.0 && below + count >= rank {
            let lower = if i == 0 { 0.0 } else { edges[i - 1] };
            let Some(upper) = edges.get(i) else { return Some(lower) };
            return Some(lower + (upper - lower) * ((rank - below) / count));
        }
        below += count;
    }
    edges.last().copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_fall_in_the_bucket_below_their_upper_edge() {
        assert_eq!(bucket_of(LATENCY_MS, 0.0), 0);
        assert_eq!(bucket_of(LATENCY_MS, 99.9), 0);
        assert_eq!(bucket_of(LATENCY_MS, 100.0), 1);
        assert_eq!(bucket_of(LATENCY_MS, 1e9), LATENCY_MS.len());
        assert_eq!(empty(LATENCY_MS).len(), LATENCY_MS.len() + 1);
    }

    #[test]
    fn quantiles_interpolate_within_their_bucket_and_add_up_across_rollups() {
        let edges = [10.0, 20.0, 40.0];
        // Four values in [0, 10), four in [10, 20), two in [20, 40).
        let (mut a, b) = (vec![4, 0, 0, 0], vec![0, 4, 2, 0]);
        assert_eq!(quantile(&edges, &a, 0.5), Some(5.0));
        add(&mut a, &b);
        assert_eq!(quantile(&edges, &a, 0.5), Some(12.5), "the 5th of 10 is the first of the second bucket");
        assert_eq!(quantile(&edges, &a, 0.9), Some(30.0));
        assert_eq!(quantile(&edges, &[0, 0, 0, 3], 0.5), Some(40.0), "the overflow answers its lower edge");
        assert_eq!(quantile(&edges, &[0, 0, 0, 0], 0.5), None);
    }
}
