//! The one source of randomness in the model: a seeded generator, owned by
//! each simulation, through which every random choice goes.
//!
//! Mirrors runtime/rand.go `cheaprand` and `cheaprandn` (go1.27, the 64-bit
//! path: wyrand over a 32-bit state). The real runtime seeds each M from the
//! OS; the model seeds it from the scenario, so the same seed gives the same
//! run natively, in the browser and on a microcontroller.

/// A seeded `cheaprand`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheapRand {
    state: u32,
}

impl CheapRand {
    /// A generator whose whole future is fixed by `seed`.
    pub fn new(seed: u64) -> CheapRand {
        // Fold the 64-bit seed into the 32-bit state the runtime keeps.
        CheapRand {
            state: (seed ^ (seed >> 32)) as u32,
        }
    }

    /// Mirrors runtime/rand.go `cheaprand` (go1.27, `bits.UintSize == 64`).
    pub fn cheaprand(&mut self) -> u32 {
        self.state = self.state.wrapping_add(0x53c5_ca59);
        let product = u64::from(self.state) * u64::from(self.state ^ 0x7474_3c1b);
        ((product >> 32) as u32) ^ (product as u32)
    }

    /// Mirrors runtime/rand.go `cheaprandn`: a value in `0..n` by Lemire's
    /// multiply-shift, not by modulo.
    pub fn cheaprandn(&mut self, n: u32) -> u32 {
        ((u64::from(self.cheaprand()) * u64::from(n)) >> 32) as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_sequence() {
        let mut a = CheapRand::new(42);
        let mut b = CheapRand::new(42);
        let xs: [u32; 8] = core::array::from_fn(|_| a.cheaprand());
        let ys: [u32; 8] = core::array::from_fn(|_| b.cheaprand());
        assert_eq!(xs, ys);
        let mut c = CheapRand::new(43);
        assert_ne!(xs[0], c.cheaprand());
    }

    #[test]
    fn cheaprandn_stays_in_range_and_covers_it() {
        let mut r = CheapRand::new(7);
        let mut seen = [false; 5];
        for _ in 0..200 {
            let v = r.cheaprandn(5);
            assert!(v < 5);
            seen[v as usize] = true;
        }
        assert!(seen.iter().all(|&s| s));
    }
}
