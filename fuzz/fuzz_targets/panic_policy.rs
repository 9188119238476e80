//! Shared by the fuzz targets.

/// adrec's own panic policy: a panic inside `adrec::pdf::guarded` (a library
/// failing on hostile bytes) becomes an error the user sees, so it is not a
/// crash here; any other panic goes to libFuzzer's hook, which aborts.
pub fn panic_policy() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let fuzzer = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !adrec::pdf::in_guarded() {
                fuzzer(info);
            }
        }));
    });
}
