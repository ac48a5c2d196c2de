import { lockFor } from './projects';

/** A workspace with an API, a worker and a migrator in two members. */
export function serviceWorkspace(): Record<string, string> {
  const files: Record<string, string> = {
    'Cargo.toml': '[workspace]\nmembers = ["crates/*"]\nresolver = "2"\n\n[workspace.package]\nversion = "2.0.0"\nlicense = "MIT"\n',
    'crates/api/Cargo.toml': '[package]\nname = "api"\nversion.workspace = true\nlicense.workspace = true\nedition = "2021"\n\n[features]\nmetrics = []\n',
    'crates/api/src/main.rs': 'fn main() {}\n',
    'crates/jobs/Cargo.toml': '[package]\nname = "jobs"\nversion.workspace = true\nedition = "2021"\n\n[[bin]]\nname = "worker"\npath = "src/worker.rs"\n\n[[bin]]\nname = "migrate"\npath = "src/migrate.rs"\n',
    'crates/jobs/src/worker.rs': 'fn main() {}\n',
    'crates/jobs/src/migrate.rs': 'fn main() {}\n',
  };
  return { ...files, 'Cargo.lock': lockFor(files) };
}
