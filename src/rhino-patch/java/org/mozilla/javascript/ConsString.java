/* -*- Mode: java; tab-width: 8; indent-tabs-mode: nil; c-basic-offset: 4 -*-
 *
 * This Source Code Form is subject to the terms of the Mozilla Public
 * License, v. 2.0. If a copy of the MPL was not distributed with this
 * file, You can obtain one at http://mozilla.org/MPL/2.0/. */

package org.mozilla.javascript;

import java.io.Serializable;
import java.util.ArrayDeque;

/**
 * This class represents a string composed of two components, each of which may be a {@code
 * java.lang.String} or another ConsString.
 *
 * <p>This string representation is optimized for concatenation using the "+" operator. Instead of
 * immediately copying both components to a new character array, ConsString keeps references to the
 * original components and only converts them to a String if either toString() is called or a
 * certain depth level is reached.
 *
 * <p>Note that instances of this class are only immutable if both parts are immutable, i.e. either
 * Strings or ConsStrings that are ultimately composed of Strings.
 *
 * <p>Both the name and the concept are borrowed from V8.
 *
 * <p>bot-webhooks: this copy of Rhino 1.9.2's class (which takes precedence over the one in the
 * Rhino jar on the class path and in the shaded jar) adds a maximum string length, as JS engines
 * have: {@code s += s} makes a string of 2^k characters in k steps without counting instructions,
 * and the first read of it flattens 2^k leaves in one Java loop (seconds, and gigabytes) that no
 * deadline can stop. Past {@link #MAX_LENGTH} the concatenation throws a RangeError instead.
 * {@code dev.botwebhooks.script.ConsStringGuardTest} checks that this copy is the one loaded;
 * {@code src/rhino-patch/README.md} says how to re-take it for another Rhino release.
 */
public class ConsString implements CharSequence, Serializable {

    private static final long serialVersionUID = -8432806714471372570L;

    /** Longest string a concatenation may make: 2^25 characters (64 MiB as a char array). */
    public static final int MAX_LENGTH = 1 << 25;

    /** bot-webhooks: pieces copied by a flattening between two instruction counts. */
    private static final int FLATTEN_PIECES_PER_CHECK = 1024;

    private CharSequence left, right;
    private final int length;
    private boolean isFlat;

    public ConsString(CharSequence str1, CharSequence str2) {
        if (!(str1 instanceof String) && !(str1 instanceof ConsString)) {
            str1 = str1.toString();
        }
        if (!(str2 instanceof String) && !(str2 instanceof ConsString)) {
            str2 = str2.toString();
        }
        long total = (long) str1.length() + str2.length();
        if (total > MAX_LENGTH) {
            throw ScriptRuntime.rangeError("Invalid string length: " + total);
        }
        left = str1;
        right = str2;
        length = (int) total;
        isFlat = false;
    }

    // Replace with string representation when serializing
    private Object writeReplace() {
        return this.toString();
    }

    private void readObject(java.io.ObjectInputStream in) throws java.io.InvalidObjectException {
        throw new java.io.InvalidObjectException("ConsString must be serialized as a String");
    }

    private void readObjectNoData() throws java.io.InvalidObjectException {
        throw new java.io.InvalidObjectException("ConsString must be serialized as a String");
    }

    @Override
    public String toString() {
        return isFlat ? (String) left : flatten();
    }

    private synchronized String flatten() {
        if (!isFlat) {
            final char[] chars = new char[length];
            int charPos = length;

            ArrayDeque<CharSequence> stack = new ArrayDeque<>();
            stack.addFirst(left);
            // bot-webhooks: a string doubled n times is a DAG of n nodes with 2^n leaves, each
            // visited here: the pieces count as instructions, so the run's deadline check is
            // reached while a long flattening goes on.
            Context cx = Context.getCurrentContext();
            int pieces = 0;

            CharSequence next = right;
            do {
                if (next instanceof ConsString) {
                    ConsString casted = (ConsString) next;
                    if (casted.isFlat) {
                        next = casted.left;
                    } else {
                        stack.addFirst(casted.left);
                        next = casted.right;
                        continue;
                    }
                }

                if (cx != null && ++pieces == FLATTEN_PIECES_PER_CHECK) {
                    pieces = 0;
                    ScriptRuntime.addInstructionCount(cx, FLATTEN_PIECES_PER_CHECK);
                }
                final String str = (String) next;
                charPos -= str.length();
                str.getChars(0, str.length(), chars, charPos);
                next = stack.isEmpty() ? null : stack.removeFirst();
            } while (next != null);

            left = new String(chars);
            right = "";
            isFlat = true;
        }
        return (String) left;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public char charAt(int index) {
        String str = isFlat ? (String) left : flatten();
        return str.charAt(index);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        String str = isFlat ? (String) left : flatten();
        return str.substring(start, end);
    }
}
