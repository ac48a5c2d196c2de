// The public API of projen-rust-docker: these modules hold public types only.
// Everything else lives under private/ and is not part of the API.
export * from './rust-docker-image';
export * from './options';
export * from './dockerfile-instructions';
export * from './platform';
export * from './libc';
export * from './compiler-cache';
export * from './private-git';
export * from './ci-options';
export * from './registry';
export * from './defaults';
export * from './rust-docker-project';
