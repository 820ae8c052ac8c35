// Formatting is not a matter of taste here: one shape for every file, checked in CI.
export default {
  printWidth: 120,
  singleQuote: true,
  trailingComma: 'all',
};
