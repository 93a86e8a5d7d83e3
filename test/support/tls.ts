// The throwaway PKI lives beside the benchmarks (src/cli/support), which use it too.
export { createTestPki, type TestPki } from '../../src/cli/support/test-pki';
