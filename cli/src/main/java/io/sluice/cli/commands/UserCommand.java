package io.sluice.cli.commands;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.admin.UserScramCredentialsDescription;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice user}: SCRAM users, through Kafka's Admin API as {@code kafka-configs --entity-type users} does. */
@Command(name = "user", mixinStandardHelpOptions = true, description = "Manage users who log in with SCRAM-SHA-512, "
        + "SCRAM-SHA-256 or PLAIN (on a secured cluster).", subcommands = { UserCommand.Create.class,
                UserCommand.ListUsers.class, UserCommand.Delete.class })
public final class UserCommand implements Runnable {

    private static final int ITERATIONS = 8192;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand: create, list or delete");
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = { "Create a user, or set a user's "
            + "password, for both SCRAM mechanisms (PLAIN checks the same password).",
            "The password is read from standard input unless given; the cluster only ever sees it salted." })
    static final class Create implements Callable<Integer> {
        @Mixin
        ClientOptions client;
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "NAME", description = "The user's name.")
        String name;
        @Option(names = "--password", paramLabel = "PASSWORD", description = "The password (visible to other local "
                + "users in the process list: prefer standard input).")
        String password;

        @Override
        public Integer call() throws Exception {
            String secret = password != null ? password : readPassword();
            if (secret.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "the password must not be empty");
            }
            try (Admin admin = Admin.create(client.properties())) {
                // Kafka takes one alteration per user and request.
                for (ScramMechanism mechanism : List.of(ScramMechanism.SCRAM_SHA_512, ScramMechanism.SCRAM_SHA_256)) {
                    admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(name,
                            new ScramCredentialInfo(mechanism, ITERATIONS), secret))).all().get();
                }
            }
            System.out.println("User " + name + " can log in with SCRAM-SHA-512, SCRAM-SHA-256 and PLAIN");
            return 0;
        }

        private static String readPassword() throws IOException {
            if (System.console() != null) {
                char[] typed = System.console().readPassword("Password: ");
                return typed == null ? "" : new String(typed);
            }
            return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List users and their mechanisms.")
    static final class ListUsers implements Callable<Integer> {
        @Mixin
        ClientOptions client;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            try (Admin admin = Admin.create(client.properties())) {
                Map<String, UserScramCredentialsDescription> users = admin.describeUserScramCredentials().all().get();
                Table table = new Table("USER", "MECHANISMS");
                users.keySet().stream().sorted().forEach(user -> table.row(user, users.get(user).credentialInfos()
                        .stream().map(i -> i.mechanism().mechanismName() + " (" + i.iterations() + " iterations)")
                        .sorted().reduce((a, b) -> a + ", " + b).orElse("")));
                table.print(spec.commandLine().getOut());
            }
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a user's credentials: it can "
            + "no longer log in (its ACLs stay until removed).")
    static final class Delete implements Callable<Integer> {
        @Mixin
        ClientOptions client;
        @Parameters(paramLabel = "NAME", description = "The user's name.")
        String name;

        @Override
        public Integer call() throws Exception {
            try (Admin admin = Admin.create(client.properties())) {
                UserScramCredentialsDescription user = admin.describeUserScramCredentials(List.of(name)).all().get()
                        .get(name);
                for (ScramCredentialInfo info : user.credentialInfos()) {
                    admin.alterUserScramCredentials(List.of(new UserScramCredentialDeletion(name, info.mechanism())))
                            .all().get();
                }
            }
            System.out.println("Deleted user " + name);
            return 0;
        }
    }
}
