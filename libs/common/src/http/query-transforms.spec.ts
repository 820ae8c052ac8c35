import { toQueryList } from './query-transforms';

describe('toQueryList', () => {
  it('reads comma lists and repeated parameters as one list, dropping empty items', () => {
    expect(toQueryList()({ value: 'a,b' })).toEqual(['a', 'b']);
    expect(toQueryList()({ value: ['a', 'b,,c'] })).toEqual(['a', 'b', 'c']);
    expect(toQueryList()({ value: undefined })).toBeUndefined();
  });

  it('expands aliases and leaves unknown items for the validator to refuse', () => {
    expect(toQueryList({ open: ['raised', 'acknowledged'] })({ value: 'open,nope' })).toEqual([
      'raised',
      'acknowledged',
      'nope',
    ]);
  });
});
