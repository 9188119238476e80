//! The threads that write a volume's documents: twice as many as the
//! machine has cores. Creating a file can wait on the disk (ext4 reads the
//! block of the inode table a new file's inode goes in, or a directory
//! block), and while one writer waits another keeps the core busy: at
//! 100,000 natives on ext4 the cores' idle time fell from 9-10 % to 4-7 %
//! (more writers contend for the same folders, so the produce gains less,
//! 1-2 %). The output never depends on them: each document's files and
//! rows are its own, and rows are appended in Bates order. Memory is a few
//! documents in flight, still bounded by the largest.

/// Writers per core.
const PER_CORE: usize = 2;

pub(super) struct Writers(Option<rayon::ThreadPool>);

impl Writers {
    /// `rasterised`: a volume of single-page images, whose documents are
    /// rendered page by page: CPU and a page's buffers a thread, no waiting
    /// on the disk to hide, so the shared pool (a thread a core) writes it.
    pub(super) fn new(rasterised: bool) -> Writers {
        // A RAYON_NUM_THREADS the user set is a limit: the shared pool keeps to it.
        if rasterised || std::env::var_os("RAYON_NUM_THREADS").is_some() {
            return Writers(None);
        }
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        // Without a pool of its own (no threads to spare), the shared one writes.
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(cores * PER_CORE)
            .stack_size(crate::pdf::WORKER_STACK)
            .thread_name(|i| format!("writer-{i}"))
            .build()
            .ok();
        Writers(pool)
    }

    /// Runs `work` with its parallel iterators on the writers.
    pub(super) fn run<R: Send>(&self, work: impl FnOnce() -> R + Send) -> R {
        match &self.0 {
            Some(pool) => pool.install(work),
            None => work(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rayon::prelude::*;

    #[test]
    fn the_writers_keep_the_order_of_what_they_make() {
        let writers = Writers::new(false);
        let made: Vec<usize> = writers.run(|| (0..10_000).into_par_iter().map(|i| i * 2).collect());
        assert_eq!(made, (0..10_000).map(|i| i * 2).collect::<Vec<_>>());
    }
}
