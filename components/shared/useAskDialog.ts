'use client';
/**
 * A modal <dialog> that asks one question at a time, for the page's token and confirm dialogs:
 * `register` hands the asking function to the module that asks (and null on unmount); a question
 * opens the dialog, `answer` resolves the asker's promise and closes it.
 */
import { useEffect, useRef, useState } from 'react';

export function useAskDialog<Question, Answer>(
  register: (ask: ((question: Question) => Promise<Answer>) | null) => void,
) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [asked, setAsked] = useState<{ question: Question; resolve(answer: Answer): void } | null>(null);

  useEffect(() => {
    register((question) => new Promise((resolve) => setAsked({ question, resolve })));
    return () => register(null);
  }, [register]);

  useEffect(() => {
    if (asked && dialog.current && !dialog.current.open) dialog.current.showModal();
  }, [asked]);

  const answer = (value: Answer) => {
    asked?.resolve(value);
    setAsked(null);
    dialog.current?.close();
  };

  return { dialog, question: asked?.question ?? null, answer };
}
