export * from './platform';
export * from './options';
export * from './ci/ci-options';
export * from './ci/registry';
export { ACTIONS } from './ci/actions';
export {
  DEFAULT_RUST_VERSION, DEFAULT_ALPINE_VERSION, DEFAULT_ZIG_PACKAGE, DEFAULT_CARGO_CHEF_VERSION, DEFAULT_CARGO_ZIGBUILD_VERSION,
  DEFAULT_RUNTIME_BASE_IMAGE, DEFAULT_RUNTIME_USER,
} from './config/defaults';
export * from './components/rust-docker-image';
