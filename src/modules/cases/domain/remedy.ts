/**
 * 救济告知 (行政复议法 2023 Art. 20; 行政诉讼法 Arts. 45–46; DOMAIN.md §3.1 remedy notice):
 * the template for a licence refusal where reconsideration need not come first.
 */
export function remedyNotice(): string {
  return '如不服本决定，可以自知道该决定之日起六十日内依法申请行政复议，或者自知道该决定之日起六个月内依法向人民法院提起行政诉讼。';
}
