// The error every configuration problem is reported with, for JavaScript and
// TypeScript callers that want to tell it apart:
//
//   import { RustDockerConfigError } from 'projen-rust-docker/lib/errors';
//
// It is not part of the jsii API (jsii types cannot extend Error), so Python
// callers see a plain exception carrying the same message.
export { RustDockerConfigError } from './private/errors';
