//! Exponential backoff with full jitter: attempt n waits a random time in
//! [base * 2^(n-1) / 2, base * 2^(n-1)], capped at `max`. Half the window is
//! kept so a retry storm still spreads out but never fires back immediately.

use std::time::Duration;

use rand::Rng;

pub fn backoff(attempt: i32, base: Duration, max: Duration) -> Duration {
    let exponent = attempt.saturating_sub(1).clamp(0, 30) as u32;
    let ceiling = base.saturating_mul(2u32.saturating_pow(exponent)).min(max);
    let floor = ceiling / 2;
    let spread = ceiling.saturating_sub(floor).as_millis() as u64;
    floor + Duration::from_millis(if spread == 0 { 0 } else { rand::rng().random_range(0..=spread) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_exponentially_within_jitter_and_caps() {
        let base = Duration::from_millis(100);
        let max = Duration::from_secs(1);
        for _ in 0..200 {
            let first = backoff(1, base, max);
            assert!(first >= Duration::from_millis(50) && first <= Duration::from_millis(100), "{first:?}");
            let third = backoff(3, base, max);
            assert!(third >= Duration::from_millis(200) && third <= Duration::from_millis(400), "{third:?}");
            let tenth = backoff(10, base, max);
            assert!(tenth >= Duration::from_millis(500) && tenth <= max, "{tenth:?}");
        }
    }

    #[test]
    fn jitter_spreads_retries() {
        let samples: std::collections::HashSet<_> =
            (0..50).map(|_| backoff(4, Duration::from_millis(1000), Duration::from_secs(60))).collect();
        assert!(samples.len() > 10);
    }
}
