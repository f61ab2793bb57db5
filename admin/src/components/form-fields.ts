/** A text field of a submitted form, trimmed; '' when absent (FormData may also hold files, which no console form has). */
export function textField(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value.trim() : '';
}

/** A text field as typed, not trimmed (a password may start or end with a space); '' when absent. */
export function rawTextField(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}
