//! A map from goroutine, proc and thread IDs to their states, for the
//! ordering's lookups on every event.
//!
//! Go keeps these states in maps (internal/trace/order.go `ordering`); a
//! `BTreeMap` here spent about a fifth of the reading in its searches on a
//! trace of 800 goroutines. This is a hash table with open addressing
//! (linear probing, Fibonacci hashing of the ID, at most half full, and
//! backward-shift deletion), so a lookup is one multiply and a probe or two.
//! Its size stays within a small multiple of the number of IDs it holds.

use alloc::vec::Vec;

/// A hash map from `i64` IDs to `V`.
#[derive(Debug, Clone)]
pub(crate) struct IdMap<V> {
    slots: Vec<Option<(i64, V)>>,
    /// log2 of `slots.len()` (0 while empty).
    bits: u32,
    len: usize,
}

impl<V> Default for IdMap<V> {
    fn default() -> Self {
        Self::new()
    }
}

impl<V> IdMap<V> {
    pub fn new() -> Self {
        IdMap {
            slots: Vec::new(),
            bits: 0,
            len: 0,
        }
    }

    /// Where `k` starts probing.
    #[inline]
    fn home(&self, k: i64) -> usize {
        ((k as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - self.bits)) as usize
    }

    #[inline]
    fn mask(&self) -> usize {
        self.slots.len() - 1
    }

    /// The slot holding `k`.
    #[inline]
    fn find(&self, k: i64) -> Option<usize> {
        if self.len == 0 {
            return None;
        }
        let mut i = self.home(k);
        loop {
            match &self.slots[i] {
                None => return None,
                Some((key, _)) if *key == k => return Some(i),
                Some(_) => i = (i + 1) & self.mask(),
            }
        }
    }

    #[inline]
    pub fn get(&self, k: &i64) -> Option<&V> {
        let i = self.find(*k)?;
        self.slots[i].as_ref().map(|(_, v)| v)
    }

    #[inline]
    pub fn get_mut(&mut self, k: &i64) -> Option<&mut V> {
        let i = self.find(*k)?;
        self.slots[i].as_mut().map(|(_, v)| v)
    }

    #[inline]
    pub fn contains_key(&self, k: &i64) -> bool {
        self.find(*k).is_some()
    }

    /// Doubles the table (or makes the first one) and puts every entry back.
    fn grow(&mut self) {
        let bits = if self.bits == 0 { 4 } else { self.bits + 1 };
        let old = core::mem::take(&mut self.slots);
        self.slots.resize_with(1 << bits, || None);
        self.bits = bits;
        for (k, v) in old.into_iter().flatten() {
            let i = self.free_slot(k);
            self.slots[i] = Some((k, v));
        }
    }

    /// The first empty slot on `k`'s probe path (the table has one).
    fn free_slot(&self, k: i64) -> usize {
        let mut i = self.home(k);
        while self.slots[i].is_some() {
            i = (i + 1) & self.mask();
        }
        i
    }

    /// Sets `k` to `v`; the value it had, if any.
    pub fn insert(&mut self, k: i64, v: V) -> Option<V> {
        if let Some(i) = self.find(k) {
            return self.slots[i].replace((k, v)).map(|(_, old)| old);
        }
        if 2 * (self.len + 1) > self.slots.len() {
            self.grow();
        }
        let i = self.free_slot(k);
        self.slots[i] = Some((k, v));
        self.len += 1;
        None
    }

    /// The value of `k`, inserted from `make` if there is none.
    pub fn get_or_insert_with(&mut self, k: i64, make: impl FnOnce() -> V) -> &mut V {
        let i = match self.find(k) {
            Some(i) => i,
            None => {
                self.insert(k, make());
                self.find(k).expect("just inserted")
            }
        };
        &mut self.slots[i].as_mut().expect("a full slot").1
    }

    /// Takes `k` out; its value, if it had one. The entries after it on
    /// its probe run move back, so no lookup ever needs a tombstone.
    pub fn remove(&mut self, k: &i64) -> Option<V> {
        let mut hole = self.find(*k)?;
        let (_, v) = self.slots[hole].take().expect("a full slot");
        self.len -= 1;
        let mut j = hole;
        loop {
            j = (j + 1) & self.mask();
            let Some((kj, _)) = &self.slots[j] else {
                break;
            };
            let h = self.home(*kj);
            // The entry at j may stay if its home lies cyclically in (hole, j].
            let stays = if hole <= j {
                hole < h && h <= j
            } else {
                hole < h || h <= j
            };
            if !stays {
                self.slots[hole] = self.slots[j].take();
                hole = j;
            }
        }
        Some(v)
    }

    /// Every entry, in ID order (as a `BTreeMap` would give them).
    pub fn sorted(&self) -> Vec<(i64, &V)> {
        let mut all: Vec<(i64, &V)> = self.slots.iter().flatten().map(|(k, v)| (*k, v)).collect();
        all.sort_unstable_by_key(|(k, _)| *k);
        all
    }
}

#[cfg(test)]
mod tests {
    use super::IdMap;
    use alloc::collections::BTreeMap;
    use alloc::vec::Vec;

    #[test]
    fn behaves_as_a_btree_map_under_random_operations() {
        let mut x: u64 = 0x1234_5678;
        let mut rand = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for range in [8i64, 64, 1000, i64::MAX] {
            let mut ours: IdMap<u64> = IdMap::new();
            let mut want: BTreeMap<i64, u64> = BTreeMap::new();
            let mut most = 0;
            for step in 0..20_000u64 {
                let r = rand();
                let k = if range == i64::MAX {
                    r as i64
                } else {
                    (r % range as u64) as i64 - range / 2
                };
                match rand() % 4 {
                    0 | 1 => assert_eq!(ours.insert(k, step), want.insert(k, step)),
                    2 => assert_eq!(ours.remove(&k), want.remove(&k)),
                    _ => {
                        *ours.get_or_insert_with(k, || 7) += 1;
                        *want.entry(k).or_insert(7) += 1;
                    }
                }
                assert_eq!(ours.get(&k), want.get(&k));
                assert_eq!(ours.contains_key(&-k), want.contains_key(&-k));
                assert_eq!(ours.len, want.len());
                most = most.max(want.len());
                assert!(ours.slots.len() <= 4 * most + 16);
            }
            let got: Vec<(i64, u64)> = ours.sorted().into_iter().map(|(k, v)| (k, *v)).collect();
            let expected: Vec<(i64, u64)> = want.into_iter().collect();
            assert_eq!(got, expected);
        }
    }
}
