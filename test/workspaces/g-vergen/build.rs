fn main() {
    // vergen-gitcl runs `git` against the repository: .git must be in the build context.
    let sha = std::process::Command::new("git").args(["rev-parse", "HEAD"]).output().map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string()).unwrap_or_default();
    println!("cargo:rustc-env=GIT_SHA={sha}");
}
